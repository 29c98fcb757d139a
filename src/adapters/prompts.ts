import { confirm, input } from '@inquirer/prompts';
import type { Context } from '../context.js';
import { RelmgrError } from '../errors.js';

/** Questions on the terminal; streams are injected so tests can drive them. */
export interface PromptPort {
  text(message: string, initial: string, validate?: (value: string) => true | string): Promise<string>;
  confirm(message: string, initial: boolean): Promise<boolean>;
}

function aborted(error: unknown): never {
  if (error instanceof Error && error.name === 'ExitPromptError') {
    throw new RelmgrError('E_ABORTED', 'aborted: nothing was written');
  }
  throw error;
}

export function terminalPrompts(ctx: Pick<Context, 'stdin' | 'stderr'>): PromptPort {
  const streams = { input: ctx.stdin as NodeJS.ReadableStream, output: (ctx.stderr.raw ?? ctx.stderr) as NodeJS.WritableStream, clearPromptOnDone: false };
  return {
    text: (message, initial, validate) => input({ message, default: initial, ...(validate ? { validate } : {}) }, streams).catch(aborted),
    confirm: (message, initial) => confirm({ message, default: initial }, streams).catch(aborted),
  };
}
