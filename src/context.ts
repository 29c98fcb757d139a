import type { GitPort } from './adapters/git.js';
import type { Clock } from './adapters/clock.js';
import type { FsPort } from './adapters/fs.js';
import type { Redactor } from './core/redact.js';

/** A writable text stream: process.stdout/stderr in production, a buffer in tests. */
export interface TextOut {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** Behind the output boundary: the stream underneath (prompts draw on the terminal directly). */
  raw?: TextOut;
}

export interface TextIn {
  isTTY?: boolean;
}

/**
 * Everything a command may touch. Built once in main.ts; tests build their own.
 * Nothing below main reads process.* — it reads the context.
 */
export interface Context {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdin: TextIn;
  stdout: TextOut;
  stderr: TextOut;
  clock: Clock;
  fs: FsPort;
  /** The secrets of this run, masked in every output: stdout, stderr, step logs, the ledger. */
  secrets: Redactor;
  /** The git port for a working directory; loaded lazily so `--help` never pays for it. */
  git(cwd?: string): Promise<GitPort>;
}
