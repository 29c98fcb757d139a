import { nodeFs } from '../../src/adapters/fs.js';
import { createGit } from '../../src/adapters/git.js';
import type { Context, TextOut } from '../../src/context.js';
import { Redactor } from '../../src/core/redact.js';

export interface Captured extends TextOut {
  text: string;
}

export function capture(isTTY = false): Captured {
  const out = { text: '', isTTY, write: (chunk: string) => (out.text += chunk) };
  return out;
}

/** A context for running `main` in-process: captured streams, the real fs and git. */
export function testContext(cwd: string, env: NodeJS.ProcessEnv, overrides: Partial<Context> = {}): Context & { stdout: Captured; stderr: Captured } {
  return {
    cwd,
    env,
    stdin: { isTTY: false },
    stdout: capture(),
    stderr: capture(),
    clock: { now: () => new Date('2026-11-21T10:00:00Z') },
    fs: nodeFs,
    secrets: new Redactor(env),
    git: async (dir) => createGit(dir ?? cwd, env),
    ...overrides,
  } as Context & { stdout: Captured; stderr: Captured };
}
