/** Exit codes of the command-line contract (DESIGN.md §2). Scripts branch on these. */
export const ExitCode = {
  ok: 0,
  runtime: 1,
  usage: 2,
  precondition: 3,
  pending: 10,
  rejected: 11,
  timedOut: 12,
  stepFailed: 20,
  rolledBack: 21,
  rollbackFailed: 22,
  aborted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface RelmgrErrorOptions {
  /** The next command or action that gets the user unstuck. */
  hint?: string;
  cause?: unknown;
  /** Extra lines printed under the message (e.g. a list of problems). */
  details?: string[];
}

/** Every expected failure is a RelmgrError: a stable code, an exit code and a hint. */
export class RelmgrError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly details: string[];

  constructor(code: string, message: string, exitCode: ExitCodeValue, options: RelmgrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RelmgrError';
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

/** Invalid usage: a bad flag value, an unreadable template (exit 2). */
export class UsageError extends RelmgrError {
  constructor(code: string, message: string, options?: RelmgrErrorOptions) {
    super(code, message, ExitCode.usage, options);
    this.name = 'UsageError';
  }
}

/** A precondition does not hold: not a repository, no commits, history too shallow (exit 3). */
export class PreconditionError extends RelmgrError {
  constructor(code: string, message: string, options?: RelmgrErrorOptions) {
    super(code, message, ExitCode.precondition, options);
    this.name = 'PreconditionError';
  }
}

/** The outside world failed: git, the file system, a hook (exit 1). */
export class RuntimeError extends RelmgrError {
  constructor(code: string, message: string, options?: RelmgrErrorOptions) {
    super(code, message, ExitCode.runtime, options);
    this.name = 'RuntimeError';
  }
}

export function isRelmgrError(error: unknown): error is RelmgrError {
  return error instanceof RelmgrError;
}
