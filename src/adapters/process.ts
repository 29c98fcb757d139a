import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RuntimeError } from '../errors.js';
import { killGroup } from './exec.js';

/*
 * The only spawner of release steps. Steps are shell commands the project's maintainers wrote,
 * so they run through /bin/sh; what makes this different from exec.ts is the process tree: a step
 * like `npm test` or `./deploy.sh` starts grandchildren, and a timeout must stop all of them, not
 * just the shell. Each step therefore runs in its own process group and is killed as a group.
 */

export interface ShellRun {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** 0, a negative number or Infinity: no timeout. */
  timeoutMs: number;
  onOutput(text: string, stream: 'stdout' | 'stderr'): void;
  /** How long SIGTERM gets before SIGKILL (default 5000). */
  killGraceMs?: number;
  /**
   * relmgr was interrupted and the step is stopped: last words (record it, release the lock), awaited
   * before relmgr dies of the signal. The run's promise then never settles: nothing after it runs.
   */
  onInterrupted?(signal: NodeJS.Signals): void | Promise<void>;
  /** Text written to the command's stdin (then closed); without it stdin is closed at once. */
  stdin?: string;
  /** The shell started: its pid, which is also its process group's id. */
  onSpawn?(pid: number): void;
}

export interface ShellResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
}

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days): clamp instead of killing a step at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `/bin/sh -c command` with stdin closed, streaming decoded output to `onOutput`. A non-zero
 * exit, a signal or a timeout is returned, not thrown; only a shell that cannot start rejects.
 * Resolves on 'close', i.e. once every process holding the output pipes has gone.
 */
export function runShell(run: ShellRun): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/bin/sh', ['-c', run.command], {
      cwd: run.cwd,
      env: run.env,
      stdio: [run.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      // Its own process group (pgid = pid), so process.kill(-pid) reaches every descendant that stays in it.
      detached: true,
    });
    if (run.stdin !== undefined && child.stdin) {
      // A command that does not read its stdin closes it: that is not a failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(run.stdin);
    }
    let timedOut = false;
    let failure: Error | undefined;
    let termTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const clearTimers = (): void => {
      clearTimeout(termTimer);
      clearTimeout(killTimer);
    };
    const kill = (): void => {
      if (child.pid === undefined || killTimer) return;
      killGroup(child.pid, 'SIGTERM');
      const pid = child.pid;
      killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), run.killGraceMs ?? 5000);
    };

    // One decoder per stream: a multi-byte character split across chunks must not become U+FFFD.
    for (const name of ['stdout', 'stderr'] as const) {
      const decoder = new TextDecoder('utf-8', { fatal: false });
      const emit = (text: string): void => {
        if (failure || text === '') return;
        try {
          run.onOutput(text, name);
        } catch (error) {
          // A sink that fails (a full disk under the log) stops the step rather than losing its output.
          failure = error as Error;
          kill();
        }
      };
      child[name]?.on('data', (chunk: Buffer) => emit(decoder.decode(chunk, { stream: true })));
      child[name]?.on('end', () => emit(decoder.decode()));
    }

    // The step has its own process group, so Ctrl-C at the terminal does not reach it. If relmgr is
    // interrupted or terminated, take the step's whole group down (TERM, then KILL after the grace),
    // then die of the same signal (exit 130 for Ctrl-C): the ledger shows the step as interrupted and
    // `relmgr resume` decides. (A SIGKILL of relmgr itself cannot be caught: the step then runs on.)
    let interrupted: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      interrupted ??= signal;
      kill();
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, onSignal);
    // Only now, with the signals caught: whatever onSpawn starts must not widen the moment in which a
    // Ctrl-C would still kill relmgr outright.
    if (child.pid !== undefined) run.onSpawn?.(child.pid);
    const forget = (): void => {
      for (const signal of signals) process.removeListener(signal, onSignal);
    };
    // Once the step's group is down: the last words, then the same signal again, now with no listener.
    // A second Ctrl-C meanwhile kills relmgr at once (the listeners are gone): the impatient win.
    const die = (signal: NodeJS.Signals): void => {
      void Promise.resolve()
        .then(() => run.onInterrupted?.(signal))
        .catch(() => undefined)
        .finally(() => process.kill(process.pid, signal));
    };

    if (Number.isFinite(run.timeoutMs) && run.timeoutMs > 0) {
      termTimer = setTimeout(() => {
        timedOut = true;
        kill();
      }, Math.min(run.timeoutMs, MAX_TIMER_MS));
    }

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) {
        failure ??= error;
        return;
      }
      clearTimers();
      forget();
      // Spawning failed. A missing cwd shows up as ENOENT for /bin/sh, which misleads: name the cwd.
      reject(
        new RuntimeError('E_STEP_SPAWN', `could not start /bin/sh in ${run.cwd}: ${error.code ?? error.message}`, {
          hint: "check that the step's cwd exists (it is relative to the repository root)",
          cause: error,
        }),
      );
    });
    // A step may leave a process in the background (a server for later steps) that keeps the output
    // pipes open: the step is over when its shell exits, plus a moment for the last output.
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 500).unref();
    });
    child.on('close', (code, signal) => {
      clearTimers();
      forget();
      if (interrupted) return die(interrupted);
      if (failure) return reject(failure);
      resolve({ exitCode: code, signal, timedOut, durationMs: performance.now() - started });
    });
  });
}

export interface OutputLog {
  write(text: string): void;
  /** Flushes and closes the file; rejects if any write failed. */
  close(): Promise<void>;
}

/**
 * Opens a step's log for appending (creating its directory). Writes are queued by the stream in
 * order, so output can be logged as it arrives without awaiting every chunk.
 */
export async function openOutputLog(path: string): Promise<OutputLog> {
  await mkdir(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: 'a', encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    write(text) {
      if (failure) throw failure;
      stream.write(text);
    },
    close() {
      return new Promise((resolve, reject) => {
        if (stream.closed) return failure ? reject(failure) : resolve();
        stream.end(() => (failure ? reject(failure) : resolve()));
        stream.once('error', reject);
      });
    },
  };
}
