import type { Context, TextOut } from '../context.js';
import { isRelmgrError } from '../errors.js';
import { redactUrlCredentials } from './redact.js';

/** Colour only on a TTY, never with NO_COLOR or --no-color (DESIGN.md §2). */
export function useColor(stream: TextOut, env: Context['env'], flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const paint = (on: boolean, code: number, text: string): string => (on ? `\x1b[${code}m${text}\x1b[39m` : text);

/** Prints an error for people on stderr: what went wrong, details, and the next thing to do. */
export function printError(ctx: Pick<Context, 'stderr' | 'env'>, error: unknown, options: { verbose: boolean; color: boolean }): void {
  const out = ctx.stderr;
  const c = options.color;
  if (isRelmgrError(error)) {
    out.write(`${paint(c, 31, 'error:')} ${redactUrlCredentials(error.message)}\n`);
    for (const line of error.details) out.write(`  ${redactUrlCredentials(line)}\n`);
    if (error.hint) out.write(`${paint(c, 36, 'hint:')} ${error.hint}\n`);
    if (options.verbose && error.cause instanceof Error && error.cause.stack) out.write(`${redactUrlCredentials(error.cause.stack)}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  out.write(`${paint(c, 31, 'internal error:')} ${redactUrlCredentials(message)}\n`);
  if (options.verbose && error instanceof Error && error.stack) out.write(`${redactUrlCredentials(error.stack)}\n`);
  out.write(
    'This is a bug in relmgr. Please report it with the command you ran, the output of `relmgr --version`' +
      (options.verbose ? '' : ' and this output with --verbose') +
      '.\n',
  );
}

export function printJson(out: TextOut, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}
