import { spawn } from 'node:child_process';

export interface StreamOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface StreamResult {
  exitCode: number;
  stderr: string;
}

/**
 * Runs a read-only command and hands its stdout to `onText` as it arrives, decoded as UTF-8
 * (invalid bytes become U+FFFD instead of failing). Used for output too large to buffer, such as
 * `git log` over a whole history. It spawns with node:child_process directly: execa's import cost
 * (~90 ms) would dominate short commands, and this path needs none of its features.
 */
export function streamText(file: string, args: readonly string[], options: StreamOptions, onText: (text: string) => void): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const stderr: Buffer[] = [];
    let failure: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        onText(decoder.decode(chunk, { stream: true }));
      } catch (error) {
        failure = error as Error;
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
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
