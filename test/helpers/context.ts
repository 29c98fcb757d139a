import type { Context, TextOut } from '../../src/context.js';
import { createContext } from '../../src/main.js';

export interface Captured extends TextOut {
  text: string;
}

export function capture(isTTY = false): Captured {
  const out = { text: '', isTTY, write: (chunk: string) => (out.text += chunk) };
  return out;
}

/** A context for running `main` in-process: captured streams, a fixed documents' clock, real fs and git. */
export function testContext(cwd: string, env: NodeJS.ProcessEnv, overrides: Partial<Context> = {}): Context & { stdout: Captured; stderr: Captured } {
  const io = { cwd, env, stdin: { isTTY: false }, stdout: capture(), stderr: capture() };
  return createContext(io, { clock: { now: () => new Date('2026-11-21T10:00:00Z') }, ...overrides }) as Context & { stdout: Captured; stderr: Captured };
}
