import { spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Kill the command's whole process tree after this long (network commands: git fetch and push
   * start ssh or a remote helper, and a remote that never answers must not hang relmgr).
   */
  timeoutMs?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The command was killed because it ran past `timeoutMs`. */
  timedOut?: boolean;
}

/*
 * Git runs through node:child_process directly: execa's import cost (~90 ms) would dominate short
 * commands. Release steps (shell, timeouts, process-group kills) run through process.ts.
 */

/** Signals a whole process group; a group that has already gone away is not an error. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** How long a timed-out command's tree gets after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 1000;

interface Started {
  child: ChildProcess;
  /** Set once the command was killed for running past its timeout. */
  timedOut(): boolean;
  /** Stops the timer and the signal forwarding; call on 'close'. */
  done(): void;
}

/**
 * Spawns a command with stdout and stderr piped, and `input` (if any) written to its stdin. With a
 * timeout the command runs in its own process group, killed as a whole (TERM, then KILL) when the
 * time is up or when relmgr itself is interrupted.
 */
function start(file: string, args: readonly string[], options: RunOptions & { input?: string }): Started {
  const limited = options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0;
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // Its own process group (pgid = pid): ssh and remote helpers git starts are killed with it.
    detached: limited,
  });
  if (options.input !== undefined && child.stdin) {
    child.stdin.on('error', () => undefined); // the command may exit without reading everything
    child.stdin.end(options.input);
  }
  if (!limited) return { child, timedOut: () => false, done: () => undefined };

  let timedOut = false;
  let finished = false;
  let killTimer: NodeJS.Timeout | undefined;
  const kill = (): void => {
    if (child.pid === undefined || killTimer) return;
    const pid = child.pid;
    killGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      // Whatever of the tree is left (a child forked as TERM went out missed it) goes now, not later.
      killGroup(pid, 'SIGKILL');
      // A process that left the group may still hold the pipes: stop waiting for them once git is gone.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 200).unref();
    });
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, Math.min(options.timeoutMs as number, 2 ** 31 - 1));
  // The group does not get the terminal's Ctrl-C: pass it on, then die of the same signal.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted ??= signal;
    kill();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  return {
    child,
    timedOut: () => timedOut,
    done() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      for (const signal of signals) process.removeListener(signal, onSignal);
      if (interrupted) process.kill(process.pid, interrupted);
    },
  };
}

/**
 * Runs a command and hands its stdout to `onText` as it arrives, decoded as UTF-8 (invalid bytes
 * become U+FFFD instead of failing). For output too large to buffer, such as `git log` over a
 * whole history. A non-zero exit is returned, not thrown: callers know which codes are answers.
 */
export function streamText(
  file: string,
  args: readonly string[],
  options: RunOptions & { input?: string },
  onText: (text: string) => void,
): Promise<Omit<RunResult, 'stdout'>> {
  return new Promise((resolve, reject) => {
    const { child, timedOut, done } = start(file, args, options);
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const stderr: Buffer[] = [];
    let failure: Error | undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        onText(decoder.decode(chunk, { stream: true }));
      } catch (error) {
        failure = error as Error;
        child.kill();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code) => {
      done();
      if (failure) return reject(failure);
      try {
        const tail = decoder.decode();
        if (tail) onText(tail);
      } catch (error) {
        return reject(error as Error);
      }
      resolve({ exitCode: code ?? 1, stderr: Buffer.concat(stderr).toString('utf8'), ...(timedOut() ? { timedOut: true } : {}) });
    });
  });
}

/** Runs a command to completion (with `input` on its stdin) and returns its exit code and output. */
export async function runText(file: string, args: readonly string[], options: RunOptions & { input?: string }): Promise<RunResult> {
  let stdout = '';
  const result = await streamText(file, args, options, (text) => {
    stdout += text;
  });
  return { ...result, stdout };
}

/** Runs a command and returns its stdout as bytes (for output framed by byte counts, like `git cat-file --batch`). */
export function runBuffer(file: string, args: readonly string[], options: RunOptions & { input?: string }): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { child, done } = start(file, args, options);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code) => {
      done();
      resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
