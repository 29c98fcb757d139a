import { confirm, input, select } from '@inquirer/prompts';
import type { TextIn, TextOut } from '../streams.js';
import { RelmgrError } from '../errors.js';

/** Questions on the terminal; streams are injected so tests can drive them. */
export interface PromptPort {
  text(message: string, initial: string, validate?: (value: string) => true | string): Promise<string>;
  confirm(message: string, initial: boolean): Promise<boolean>;
  /** One of a few choices (arrow keys, enter). */
  select<T extends string>(message: string, choices: readonly { value: T; name: string; description?: string }[]): Promise<T>;
}

/** Ctrl-C at a question: nothing was written, and the command can simply be run again. */
const aborted =
  (command: string) =>
  (error: unknown): never => {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new RelmgrError('E_ABORTED', 'aborted: nothing was written', { hint: `run it again when you are ready: ${command}` });
    }
    throw error;
  };

/** `command` is what the user ran (`relmgr init`), named again if they stop at a question. */
export function terminalPrompts(ctx: { stdin: TextIn; stderr: TextOut }, command: string): PromptPort {
  const streams = { input: ctx.stdin as NodeJS.ReadableStream, output: (ctx.stderr.raw ?? ctx.stderr) as NodeJS.WritableStream, clearPromptOnDone: false };
  return {
    text: (message, initial, validate) => input({ message, default: initial, ...(validate ? { validate } : {}) }, streams).catch(aborted(command)),
    confirm: (message, initial) => confirm({ message, default: initial }, streams).catch(aborted(command)),
    select: <T extends string>(message: string, choices: readonly { value: T; name: string; description?: string }[]) => select<T>({ message, choices: [...choices] }, streams).catch(aborted(command)),
  };
}
