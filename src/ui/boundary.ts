import type { Context, TextOut } from '../context.js';
import { sanitizeTerminalText } from '../core/terminal-text.js';

/**
 * The output boundary: every byte relmgr writes to stdout and stderr goes through here once. Secrets
 * are masked in everything; human text also loses terminal controls it picked up from outside
 * (JSON on stdout keeps them: JSON escapes them).
 */
export interface BoundaryOptions {
  /** Masks secrets in a piece of output. */
  redact: (text: string) => string;
  /** stdout carries a JSON document (--json): mask secrets only. */
  json: boolean;
  /** stderr shows relmgr's own colours and redrawn progress line. */
  styledStderr: boolean;
}

/** A stream that filters what is written through it; `raw` is the stream underneath (for prompts). */
export function guardStream(stream: TextOut, filter: (text: string) => string): TextOut {
  return {
    write: (chunk: string) => stream.write(filter(typeof chunk === 'string' ? chunk : String(chunk))),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return (stream as { columns?: number }).columns;
    },
    raw: stream.raw ?? stream,
  } as TextOut;
}

/** The context with its stdout and stderr behind the boundary. */
export function guardOutput(ctx: Context, options: BoundaryOptions): Context {
  const { redact } = options;
  const stdout = options.json ? redact : (text: string) => sanitizeTerminalText(redact(text));
  const stderr = (text: string) => sanitizeTerminalText(redact(text), { keepStyle: options.styledStderr });
  return { ...ctx, stdout: guardStream(ctx.stdout, stdout), stderr: guardStream(ctx.stderr, stderr) };
}
