import type { Context } from '../context.js';
import { parseDuration } from '../core/duration.js';
import type { GateWatch } from '../engine/gate-keeper.js';
import { UsageError } from '../errors.js';
import { gatePrompt } from './gate-prompt.js';
import { isInteractive } from './interactive.js';

/** How often `--wait` looks at the gates again (a gate known to change sooner is looked at then). */
export const POLL_MS = 15_000;

export interface WaitOptions {
  wait?: string;
  yes?: boolean;
  nonInteractive?: boolean;
}

/** `--wait 2h` as a duration in milliseconds (exit 2 when it is not one); undefined without the option. */
export function waitMs(options: WaitOptions): number | undefined {
  if (options.wait === undefined) return undefined;
  const ms = parseDuration(options.wait);
  if (ms === null || ms <= 0) throw new UsageError('E_USAGE', `--wait ${options.wait} is not a duration`, { hint: 'give a duration like 30s, 10m, 2h or 1d' });
  return ms;
}

/**
 * How a lifecycle command meets gates that are not satisfied: without --wait it answers at once
 * (exit 10/11/12 with every unmet gate); with it, it re-fetches the ledger and looks again until
 * they pass or the time is up, saying on stderr what it waits for. At a terminal it asks.
 */
export function gateWatch(ctx: Pick<Context, 'stderr' | 'stdin' | 'env' | 'wallClock' | 'prompts'>, options: WaitOptions, command: string): GateWatch {
  const ms = waitMs(options);
  return {
    until: ms === undefined ? null : ctx.wallClock.now().getTime() + ms,
    pollMs: POLL_MS,
    // At a terminal, a person who may decide a human gate is asked (--yes never answers a gate).
    ask: isInteractive(ctx, options) ? gatePrompt(ctx, ctx.prompts(command)) : null,
    say: (line) => ctx.stderr.write(`${line}\n`),
  };
}
