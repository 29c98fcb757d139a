import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { BIN } from './repo.js';

/** Whether python3 is here to drive a pseudo-terminal (the PTY tests skip without it). */
export const hasPty = spawnSync('python3', ['--version']).status === 0;

const SCRIPT = resolve(import.meta.dirname, 'run_in_pty.py');

export interface PtyResult {
  code: number;
  output: string;
  /** The prompt text the script still waited for, if the program stopped asking. */
  waiting_for?: string;
}

/**
 * Runs `relmgr <args>` in a real pseudo-terminal, answering each `[expected text, reply]` of
 * `script` in turn; everything the terminal showed comes back with the exit status.
 */
export function relmgrInPty(script: readonly (readonly [string, string])[], args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }): PtyResult {
  const run = spawnSync('python3', [SCRIPT, JSON.stringify(script), process.execPath, BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
  });
  return JSON.parse(run.stdout) as PtyResult;
}
