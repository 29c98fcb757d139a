import { stoppedStepCommand } from '../core/lifecycle/resume.js';
import { formatDuration, timestamp } from '../core/duration.js';
import type { StepReport, StepReporter } from '../core/step-report.js';

/*
 * Progress of release steps for people: a live line with a spinner and the elapsed
 * time on a terminal, timestamped lines in CI. The runner hands it text that is already redacted;
 * the reporter never sees the environment, so it cannot leak what it does not have.
 */

export type { StepReporter };

export interface ReporterStream {
  write(s: string): unknown;
  isTTY?: boolean;
  /** The terminal's width: the live line is cut to it, because a wrapped line cannot be redrawn with \r. */
  columns?: number;
}

export interface StepReporterOptions {
  color: boolean;
  clock?: () => Date;
  /** Stream every output line, prefixed with the step name (otherwise output is shown only on failure). */
  verbose?: boolean;
  /** How often the live line is redrawn on a terminal (default 100 ms). */
  intervalMs?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/** What happened, in words: `succeeded in 12.3s`, `failed (exit 1) after 0.4s`, `timed out after 15m`. */
export function describeResult(result: StepReport): string {
  const time = formatDuration(result.durationMs);
  const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : '';
  if (result.status === 'succeeded') return `succeeded in ${time}${attempts}`;
  if (result.status === 'timed_out') return `timed out after ${time}${attempts}`;
  const why = result.exitCode !== null ? `exit ${result.exitCode}` : result.signal ? `killed by ${result.signal}` : 'did not start';
  return `failed (${why}) after ${time}${attempts}`;
}

export function createStepReporter(stream: ReporterStream, options: StepReporterOptions): StepReporter {
  return stream.isTTY === true ? ttyReporter(stream, options) : lineReporter(stream, options);
}

const paint = (on: boolean, open: number, close: number, text: string): string => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);

/** Splits streamed text into lines; the runner already cuts at line ends, but a last line may lack one. */
function lineBuffer(): { push(text: string): string[]; flush(): string[] } {
  let partial = '';
  return {
    push(text) {
      const lines = (partial + text).split(/\r?\n/);
      partial = lines.pop() ?? '';
      return lines;
    },
    flush() {
      const rest = partial;
      partial = '';
      return rest === '' ? [] : [rest];
    },
  };
}

function failureLines(result: StepReport, color: boolean, showTail: boolean): string {
  if (result.status === 'succeeded') return '';
  const tail = showTail ? result.tail.map((line) => `    ${paint(color, 2, 22, line)}\n`).join('') : '';
  return `${tail}    ${paint(color, 2, 22, `full log: ${result.logFile}`)}\n`;
}

/** What an interruption means (E_INTERRUPTED): the step that was stopped, and the next command. */
export function interruption(name: string, phase: string, signal: string, idempotent = false): { message: string; hint: string } {
  // A step that is not idempotent may or may not have done its work: plain `relmgr resume` would only ask.
  const next = idempotent ? 'continue from that step with: relmgr resume' : `continue with: ${stoppedStepCommand(name)}`;
  return {
    message: `interrupted (${signal}) during the ${phase} phase: step "${name}" was stopped, and nothing after it ran`,
    hint: `see where the release stands with: relmgr status; ${next}`,
  };
}

function interruptedLines(name: string, phase: string, signal: string, idempotent: boolean | undefined, color: boolean): string {
  const { message, hint } = interruption(name, phase, signal, idempotent);
  return `${paint(color, 31, 39, 'error[E_INTERRUPTED]:')} ${message}\n${paint(color, 36, 39, 'hint:')} ${hint}\n`;
}

/** CI: one timestamped line per event, nothing that needs a terminal to read. */
function lineReporter(stream: ReporterStream, options: StepReporterOptions): StepReporter {
  const clock = options.clock ?? (() => new Date());
  const c = options.color;
  const buffers = new Map<string, ReturnType<typeof lineBuffer>>();
  const say = (name: string, text: string): void => {
    stream.write(`${timestamp(clock())}  ${paint(c, 1, 22, name)}  ${text}\n`);
  };
  const echo = (name: string, lines: string[]): void => {
    for (const line of lines) stream.write(`${name} | ${line}\n`);
  };
  return {
    start(name, attempt, of) {
      say(name, attempt === 1 ? 'started' : `attempt ${attempt}${of === undefined ? '' : ` of ${of}`}`);
    },
    output(name, text) {
      if (!options.verbose) return;
      const buffer = buffers.get(name) ?? lineBuffer();
      buffers.set(name, buffer);
      echo(name, buffer.push(text));
    },
    finish(result) {
      echo(result.name, buffers.get(result.name)?.flush() ?? []);
      buffers.delete(result.name);
      const text = describeResult(result);
      say(result.name, result.status === 'succeeded' ? paint(c, 32, 39, text) : paint(c, 31, 39, text));
      stream.write(failureLines(result, c, !options.verbose));
    },
    interrupted(name, phase, signal, idempotent) {
      echo(name, buffers.get(name)?.flush() ?? []);
      say(name, paint(c, 31, 39, `stopped (${signal})`));
      stream.write(interruptedLines(name, phase, signal, idempotent, c));
    },
  };
}

/** A terminal: one live line redrawn in place, replaced by ✔ or ✖ when the step ends. */
function ttyReporter(stream: ReporterStream, options: StepReporterOptions): StepReporter {
  const clock = options.clock ?? (() => new Date());
  const c = options.color;
  const buffer = lineBuffer();
  let active: { name: string; label: string; since: number; frame: number; timer: NodeJS.Timeout } | undefined;

  const fit = (text: string): string => (stream.columns && text.length >= stream.columns ? `${text.slice(0, stream.columns - 2)}…` : text);
  const draw = (): void => {
    if (!active) return;
    const elapsed = Math.max(0, Math.floor((clock().getTime() - active.since) / 1000));
    const spinner = SPINNER[active.frame++ % SPINNER.length] as string;
    stream.write(`${CLEAR_LINE}${paint(c, 36, 39, spinner)} ${fit(`${active.label}  ${elapsed}s`)}`);
  };
  const stop = (): void => {
    if (active) clearInterval(active.timer);
    active = undefined;
  };

  return {
    start(name, attempt, of) {
      stop();
      const label = attempt === 1 ? name : `${name} (attempt ${attempt}${of === undefined ? '' : ` of ${of}`})`;
      // unref: a forgotten finish() must not keep the process alive.
      const timer = setInterval(draw, options.intervalMs ?? 100).unref();
      active = { name, label, since: clock().getTime(), frame: 0, timer };
      draw();
    },
    output(name, text) {
      if (!options.verbose) return;
      // Print above the live line: clear it, write the lines, draw it again.
      const lines = buffer.push(text);
      if (lines.length === 0) return;
      stream.write(CLEAR_LINE + lines.map((line) => `${paint(c, 2, 22, `${name} |`)} ${line}\n`).join(''));
      draw();
    },
    finish(result) {
      stop();
      const rest = buffer.flush();
      if (options.verbose) for (const line of rest) stream.write(`${CLEAR_LINE}${paint(c, 2, 22, `${result.name} |`)} ${line}\n`);
      const ok = result.status === 'succeeded';
      const mark = ok ? paint(c, 32, 39, '✔') : paint(c, 31, 39, '✖');
      stream.write(`${CLEAR_LINE}${mark} ${result.name}  ${describeResult(result)}\n`);
      stream.write(failureLines(result, c, !options.verbose));
    },
    interrupted(name, phase, signal, idempotent) {
      stop();
      stream.write(`${CLEAR_LINE}${paint(c, 31, 39, '✖')} ${name}  stopped (${signal})\n${interruptedLines(name, phase, signal, idempotent, c)}`);
    },
  };
}
