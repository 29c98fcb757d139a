/*
 * How the step runner tells people about progress: the runner (src/engine) calls a StepReporter,
 * src/ui renders it. Both sides import these types from here, so neither imports the other.
 */

/** A finished step, as the step runner returns it and progress shows it. */
export interface StepReport {
  name: string;
  status: 'succeeded' | 'failed' | 'timed_out';
  attempts: number;
  exitCode: number | null;
  /** The signal that ended the last attempt; null when it exited or never started. */
  signal?: string | null;
  /** All attempts together. */
  durationMs: number;
  logFile: string;
  /** The last lines of the last attempt's output, redacted. */
  tail: string[];
}

export interface StepReporter {
  /** `of` is the number of attempts the step may take (1 + retries). */
  start(name: string, attempt: number, of?: number): void;
  output(name: string, text: string): void;
  finish(result: StepReport): void;
  /** relmgr was interrupted (Ctrl-C, SIGTERM) while the step ran, and stopped it: say so, and what next (which depends on `idempotent`). */
  interrupted?(name: string, phase: string, signal: string, idempotent?: boolean): void;
}
