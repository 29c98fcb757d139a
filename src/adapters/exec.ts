import { spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/*
 * Git runs through node:child_process directly: execa's import cost (~90 ms) would dominate short
 * commands. Release steps (shell, timeouts, process-group kills) run through process.ts.
 */

/** Spawns a command with stdout and stderr piped, and `input` (if any) written to its stdin. */
function start(file: string, args: readonly string[], options: RunOptions & { input?: string }): ChildProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined && child.stdin) {
    child.stdin.on('error', () => undefined); // the command may exit without reading everything
    child.stdin.end(options.input);
  }
  return child;
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
    const child = start(file, args, options);
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
    child.on('error', reject);
    child.on('close', (code) => {
      if (failure) return reject(failure);
      try {
        const tail = decoder.decode();
        if (tail) onText(tail);
      } catch (error) {
        return reject(error as Error);
      }
      resolve({ exitCode: code ?? 1, stderr: Buffer.concat(stderr).toString('utf8') });
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
    const child = start(file, args, options);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
  });
}
