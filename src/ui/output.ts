import type { Context, TextOut } from '../context.js';
import { exitCodeOf, isRelmgrError, type ErrorCode } from '../errors.js';
import { sanitizeTerminalText } from '../core/terminal-text.js';

/** Colour only on a TTY, never with NO_COLOR or --no-color. */
export function useColor(stream: TextOut, env: Context['env'], flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const paint = (on: boolean, code: number, text: string): string => (on ? `\x1b[${code}m${text}\x1b[39m` : text);

/** An error as scripts read it: the `error` member of the `--json` document. */
export interface ErrorDocument {
  code: ErrorCode;
  message: string;
  hint: string | null;
  details: string[];
}

const BUG_HINT = 'this is a bug in relmgr: please report it with the command you ran, the output of `relmgr --version` and this output with --verbose';

/** Any thrown value as an error document: a RelmgrError as it is, anything else as E_INTERNAL. */
export function errorDocument(error: unknown): ErrorDocument {
  if (isRelmgrError(error)) return { code: error.code, message: error.message, hint: error.hint ?? null, details: error.details, ...error.data };
  return { code: 'E_INTERNAL', message: error instanceof Error ? error.message : String(error), hint: BUG_HINT, details: [] };
}

export const errorExitCode = (error: unknown): number => (isRelmgrError(error) ? error.exitCode : exitCodeOf('E_INTERNAL'));

/** Prints an error for people on stderr: `error[CODE]: what went wrong`, details, and the next thing to do. */
export function printError(ctx: Pick<Context, 'stderr' | 'env'>, error: unknown, options: { verbose: boolean; color: boolean }): void {
  const out = ctx.stderr;
  const c = options.color;
  // Messages quote commit subjects, file contents and command output: no terminal controls from them.
  const clean = (text: string): string => sanitizeTerminalText(text);
  if (isRelmgrError(error)) {
    out.write(`${paint(c, 31, `error[${error.code}]:`)} ${clean(error.message)}\n`);
    for (const line of error.details) out.write(`  ${clean(line)}\n`);
    if (error.hint) out.write(`${paint(c, 36, 'hint:')} ${clean(error.hint)}\n`);
    if (options.verbose && error.cause instanceof Error && error.cause.stack) out.write(`${clean(error.cause.stack)}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  out.write(`${paint(c, 31, 'internal error[E_INTERNAL]:')} ${clean(message)}\n`);
  if (options.verbose && error instanceof Error && error.stack) out.write(`${clean(error.stack)}\n`);
  out.write(
    'This is a bug in relmgr. Please report it with the command you ran, the output of `relmgr --version`' +
      (options.verbose ? '' : ' and this output with --verbose') +
      '.\n',
  );
}

/** Prints an error for scripts: one JSON document on stdout. */
export function printJsonError(out: TextOut, error: unknown): void {
  printJson(out, { error: errorDocument(error) });
}

/**
 * One JSON document. Text from outside keeps its control characters, escaped: JSON escapes C0 by
 * itself, and DEL and C1 (which some terminals obey) are escaped here too.
 */
export function printJson(out: TextOut, value: unknown): void {
  const text = JSON.stringify(value, null, 2).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  out.write(`${text}\n`);
}
