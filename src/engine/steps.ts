import { join, resolve } from 'node:path';
import type { ShellResult } from '../adapters/process.js';
import type { ShellPort } from '../context.js';
import { parseDuration } from '../core/config/values.js';
import { isRelmgrError, UsageError } from '../errors.js';
import { redactSecrets, secretValues } from '../core/redact.js';
import { formatDuration, timestamp } from '../core/duration.js';
import type { StepReport, StepReporter } from '../core/step-report.js';

export type { StepReporter } from '../core/step-report.js';

/*
 * Runs one release step: a shell command with a timeout, retries, its own env
 * and cwd, its full output appended to a log file, and progress through a reporter. The release
 * reaches the command only through RELMGR_* variables: nothing is pasted into the command line.
 * Every byte that leaves here (log, reporter, result) has been through redactSecrets.
 */

export interface StepSpec {
  name?: string;
  run: string;
  /** '90s', '15m', '1h30m'; default ctx.defaultTimeoutMs. */
  timeout?: string;
  /** Extra attempts after a failure; a timed-out attempt is a failure and is retried too. */
  retries: number;
  env?: Record<string, string>;
  /** Relative to the repository root. */
  cwd?: string;
  /** Read by resume (rerun a step interrupted mid-run?), not by the runner. */
  idempotent: boolean;
  /** Milliseconds to wait between a failed attempt and the next (a check gate's `interval`); none by default. */
  retryDelayMs?: number;
}

export interface ReleaseVars {
  version: string;
  tag: string;
  previousVersion: string | null;
  phase: string;
  env?: string;
  notesFile?: string;
}

export interface StepRunContext {
  /** The repository root; a step's cwd is relative to it. */
  root: string;
  baseEnv: Record<string, string | undefined>;
  /** More variables whose values are secrets (the config's redact.env). */
  secretNames?: readonly string[];
  release: ReleaseVars;
  /** Absolute, e.g. <root>/.relmgr/logs/<version>. Created if missing. */
  logDir: string;
  reporter: StepReporter;
  /** Default 30 minutes. */
  defaultTimeoutMs?: number;
  /** The real time (ctx.wallClock): log stamps, stable_for. */
  clock: () => Date;
  /** The process port (ctx.shell); a test swaps in a recording one. */
  shell: ShellPort;
  /** relmgr is being stopped by a signal while this step ran (the step is already stopped): record it, before relmgr dies. */
  onInterrupted?(step: { index: number; name: string }, signal: string): Promise<void>;
  /** The step's shell started in process group `pgid` (recorded, so its host can tell whether it still runs). */
  onSpawned?(step: { index: number; name: string }, pgid: number): Promise<void>;
  /** The wait between attempts (ctx.sleep); a test swaps in one that records and returns. */
  sleep: (ms: number) => Promise<void>;
}

/** A finished step: its status, attempts, exit code or signal, time, log file and the tail of its output. */
export type StepResult = StepReport;

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const TAIL_LINES = 20;
const TAIL_LINE_MAX = 500;
// A line with no end (a progress bar drawn with \r is cut at \r, but some tools print neither) is
// redacted and passed on once this long, so memory stays bounded.
const MAX_PENDING = 64 * 1024;
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g; // eslint-disable-line no-control-regex

/**
 * The step's environment: the caller's, the step's own, then the release variables, which win
 * (a step's env must not fake RELMGR_VERSION). CI and everything else in baseEnv pass through.
 * RELMGR_ENV and RELMGR_NOTES_FILE are removed when unset, so a value left in the user's shell
 * cannot pose as this release's.
 */
export function stepEnv(baseEnv: StepRunContext['baseEnv'], stepEnv: StepSpec['env'], release: ReleaseVars): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined) env[key] = value;
  Object.assign(env, stepEnv);
  delete env.RELMGR_ENV;
  delete env.RELMGR_NOTES_FILE;
  env.RELMGR_VERSION = release.version;
  env.RELMGR_TAG = release.tag;
  env.RELMGR_PREVIOUS_VERSION = release.previousVersion ?? '';
  env.RELMGR_PHASE = release.phase;
  if (release.env !== undefined) env.RELMGR_ENV = release.env;
  if (release.notesFile !== undefined) env.RELMGR_NOTES_FILE = release.notesFile;
  return env;
}

/** The name shown and logged: the step's own, else the command's first 40 characters on one line. */
export function stepName(spec: Pick<StepSpec, 'name' | 'run'>): string {
  const name = spec.name?.trim() || shortened(spec.run.replace(/\s+/g, ' ').trim());
  return name || 'step';
}

/** A command as a step's name: whole up to 72 characters, else cut at a word and marked `…` (never mid-quote-looking). */
function shortened(command: string): string {
  if (command.length <= 72) return command;
  const cut = command.slice(0, 71);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).trimEnd()} …`;
}

/** `<NN>-<slug>.log`, NN counting from 01, so `ls` lists the logs in run order. */
export function logFileName(index: number, name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return `${String(index + 1).padStart(2, '0')}-${slug || 'step'}.log`;
}

function timeoutOf(spec: StepSpec, name: string, fallback: number): number {
  if (spec.timeout === undefined) return fallback;
  const ms = parseDuration(spec.timeout);
  if (ms === null) {
    throw new UsageError('E_STEP_TIMEOUT', `step "${name}": "${spec.timeout}" is not a duration`, { hint: 'use a number and a unit, like 90s, 15m or 1h30m' });
  }
  return ms;
}

/**
 * Redacts streamed output a line at a time. A chunk can end in the middle of a secret; redacting
 * chunk by chunk would let its two halves through, so text is held back until a line ends.
 */
function lineRedactor(redact: (text: string) => string, emit: (text: string) => void): { push(text: string): void; flush(): void } {
  let pending = '';
  return {
    push(text) {
      pending += text;
      const end = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r')) + 1;
      const cut = end > 0 ? end : pending.length >= MAX_PENDING ? pending.length : 0;
      if (cut === 0) return;
      emit(redact(pending.slice(0, cut)));
      pending = pending.slice(cut);
    },
    flush() {
      if (pending !== '') emit(redact(pending));
      pending = '';
    },
  };
}

/** The last lines of output as a person would read them: after the last \r, without colour codes. */
function tailKeeper(): { push(text: string): void; lines(): string[] } {
  const kept: string[] = [];
  let partial = '';
  const keep = (line: string): void => {
    // A CRLF line end is not a redraw: drop it before keeping what follows the last \r.
    const shown = (line.replace(/\r+$/, '').split('\r').pop() ?? '').replace(ANSI, '').trimEnd();
    kept.push(shown.length > TAIL_LINE_MAX ? `${shown.slice(0, TAIL_LINE_MAX)}…` : shown);
    if (kept.length > TAIL_LINES) kept.shift();
  };
  return {
    push(text) {
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      parts.forEach(keep);
      // A line without an end is kept whole no longer than the redactor holds it back.
      if (partial.length >= MAX_PENDING) {
        keep(partial);
        partial = '';
      }
    },
    lines() {
      if (partial !== '') keep(partial);
      partial = '';
      const lines = [...kept];
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      return lines;
    },
  };
}

function describeAttempt(run: ShellResult): string {
  const time = formatDuration(run.durationMs);
  if (run.timedOut) return `timed out after ${time}`;
  if (run.exitCode === null) return `killed by ${run.signal ?? 'a signal'} after ${time}`;
  return `exit ${run.exitCode} after ${time}`;
}

export async function runStep(spec: StepSpec, index: number, ctx: StepRunContext): Promise<StepResult> {
  const clock = ctx.clock;
  const env = stepEnv(ctx.baseEnv, spec.env, ctx.release);
  const secrets = secretValues(env, ctx.secretNames);
  const redact = (text: string): string => redactSecrets(text, secrets);
  const name = redact(stepName(spec));
  const timeoutMs = timeoutOf(spec, name, ctx.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  const attempts = Math.max(0, Math.floor(spec.retries)) + 1;
  const cwd = resolve(ctx.root, spec.cwd ?? '.');
  // The file name comes from the redacted name: a secret must not end up in a directory listing either.
  const logFile = join(ctx.logDir, logFileName(index, name));
  const where = [`phase ${ctx.release.phase}`, ...(ctx.release.env === undefined ? [] : [`env ${ctx.release.env}`])].join('  ');

  const log = await ctx.shell.openLog(logFile);
  let atLineStart = true;
  const writeLog = (text: string): void => {
    log.write(text);
    atLineStart = text.endsWith('\n');
  };
  let result: StepResult = { name, status: 'failed', attempts: 0, exitCode: null, signal: null, durationMs: 0, logFile, tail: [] };
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1 && spec.retryDelayMs) await ctx.sleep(spec.retryDelayMs);
      ctx.reporter.start(name, attempt, attempts);
      writeLog(`==> ${timestamp(clock())}  ${where}  attempt ${attempt} of ${attempts}  $ ${redact(spec.run).replace(/\n/g, '\n    ')}\n`);
      const tail = tailKeeper();
      // stdout and stderr each get their own line buffer, so half a line of one never splices into the other.
      const sink = (): ReturnType<typeof lineRedactor> =>
        lineRedactor(redact, (text) => {
          writeLog(text);
          tail.push(text);
          ctx.reporter.output(name, text);
        });
      const sinks = { stdout: sink(), stderr: sink() };
      let run: ShellResult;
      try {
        // The step's process group is recorded while it runs; an interruption records after it, never alongside.
        let spawned: Promise<void> | undefined;
        const onSpawn = (pid: number): void => {
          spawned = ctx.onSpawned?.({ index, name }, pid).catch(() => undefined);
        };
        const onInterrupted = async (signal: string): Promise<void> => {
          ctx.reporter.interrupted?.(name, ctx.release.phase, signal, spec.idempotent);
          await log.close().catch(() => undefined);
          await spawned;
          await ctx.onInterrupted?.({ index, name }, signal);
        };
        run = await ctx.shell.run({ command: spec.run, cwd, env, timeoutMs, onOutput: (text, stream) => sinks[stream].push(text), onInterrupted, onSpawn });
        await spawned;
      } catch (error) {
        // The shell could not start (a missing cwd): a failed step with the reason, not retried, since nothing would change.
        if (!isRelmgrError(error) || error.code !== 'E_STEP_SPAWN') throw error;
        const reason = [redact(error.message), ...(error.hint ? [`hint: ${error.hint}`] : [])];
        writeLog(`==> ${reason.join('\n==> ')}\n`);
        result = { ...result, attempts: attempt, tail: reason };
        break;
      }
      sinks.stdout.flush();
      sinks.stderr.flush();
      writeLog(`${atLineStart ? '' : '\n'}==> ${describeAttempt(run)}\n`);
      const status: StepResult['status'] = run.timedOut ? 'timed_out' : run.exitCode === 0 ? 'succeeded' : 'failed';
      const durationMs = result.durationMs + run.durationMs;
      result = { name, status, attempts: attempt, exitCode: run.exitCode, signal: run.signal, durationMs, logFile, tail: tail.lines() };
      if (status === 'succeeded') break;
    }
  } finally {
    await log.close();
  }
  ctx.reporter.finish(result);
  return result;
}
