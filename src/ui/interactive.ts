import type { Context } from '../context.js';

/**
 * The one place that decides whether relmgr may prompt: only when stdin and
 * stderr are terminals, CI is not set, and neither --non-interactive nor --yes was given.
 */
export function isInteractive(ctx: Pick<Context, 'stdin' | 'stderr' | 'env'>, options: { yes?: boolean; nonInteractive?: boolean }): boolean {
  if (options.yes || options.nonInteractive) return false;
  const ci = ctx.env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  return ctx.stdin.isTTY === true && ctx.stderr.isTTY === true;
}
