import type { Context } from '../context.js';
import { formatDuration, parseDuration, timestamp } from '../core/duration.js';
import { gateLabel } from '../core/gates/address.js';
import type { Evaluated, GateWatch } from '../engine/gate-keeper.js';
import { UsageError } from '../errors.js';
import { gatePrompt } from './gate-prompt.js';
import { isInteractive } from './interactive.js';

/** How often `--wait` looks at the gates again (a gate known to change sooner is looked at then). */
export const POLL_MS = 15_000;
/** Without a terminal, a `waiting 3m of 30m` line at most this often: a CI log stays readable over hours. */
export const CI_TICK_MS = 60_000;

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

type WatchContext = Pick<Context, 'stderr' | 'stdin' | 'env' | 'wallClock' | 'prompts'>;

/**
 * How a lifecycle command meets gates that are not satisfied: without --wait it answers at once
 * (exit 10/11/12 with every unmet gate); with it, it re-fetches the ledger and looks again until
 * they pass or the time is up, saying on stderr what it waits for. At a terminal it asks.
 */
export function gateWatch(ctx: WatchContext, options: WaitOptions, command: string): GateWatch {
  const ms = waitMs(options);
  const live = waitingLine(ctx);
  const told = new Set<string>();
  // In CI: what the last waiting line was about, and when it was written.
  let last: { about: string; at: number } | null = null;
  return {
    until: ms === undefined ? null : ctx.wallClock.now().getTime() + ms,
    pollMs: POLL_MS,
    // At a terminal, a person who may decide a human gate is asked (--yes never answers a gate).
    ask: isInteractive(ctx, options) ? gatePrompt(ctx, ctx.prompts(command)) : null,
    say: (line, about) => {
      live.clear();
      if (ctx.stderr.isTTY !== true) {
        // A CI log: each line timestamped, and the same wait (its text aside: a countdown) at most once a minute.
        const now = ctx.wallClock.now().getTime();
        if (about !== undefined && last !== null && last.about === about && now - last.at < CI_TICK_MS) return;
        last = about === undefined ? null : { about, at: now };
      }
      ctx.stderr.write(line.split('\n').map((text) => `${stamp(ctx)}${text}\n`).join(''));
    },
    passed: (states, where) => {
      // The deploy phase's own gates are met again in each environment: told there too.
      const key = (s: Evaluated): string => `${where.phase ?? ''}/${where.env ?? ''}/${s.at.key}`;
      const fresh = states.filter((s) => !told.has(key(s)));
      for (const s of fresh) told.add(key(s));
      if (fresh.length > 0) live.clear();
      for (const line of fresh.map(passedLine)) ctx.stderr.write(`${stamp(ctx)}${line}\n`);
    },
    tick: live.tick,
    settle: live.clear,
  };
}

/** `✓ approval signoff`, or `↷ approval signoff skipped (…)` on the emergency track. */
export function passedLine(s: Evaluated): string {
  return s.state.status === 'skipped' ? `↷ ${gateLabel(s.at)} skipped (${s.state.reason})` : `✓ ${gateLabel(s.at)}`;
}

/** A CI log line starts with its time; a terminal shows the time as it passes. */
const stamp = (ctx: Pick<Context, 'stderr' | 'wallClock'>): string => (ctx.stderr.isTTY === true ? '' : `${timestamp(ctx.wallClock.now())}  `);

/**
 * While --wait polls: on a terminal, one live line redrawn every second (`⠋ waiting 3m12s of 30m`),
 * cleared before anything else is written; without one, a timestamped line at most every minute.
 */
export function waitingLine(ctx: Pick<Context, 'stderr' | 'wallClock'>): { tick(waitedMs: number, ofMs: number): void; clear(): void } {
  const tty = ctx.stderr.isTTY === true;
  let timer: NodeJS.Timeout | null = null;
  let drawn = false;
  let lastCi: number | null = null;
  let frame = 0;
  const text = (waited: number, of: number): string => `waiting ${formatDuration(waited)} of ${formatDuration(of)}`;
  const clear = (): void => {
    if (timer) clearInterval(timer);
    timer = null;
    if (drawn) ctx.stderr.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    tick(waitedMs, ofMs) {
      if (!tty) {
        if (lastCi !== null && waitedMs - lastCi < CI_TICK_MS) return;
        lastCi = waitedMs;
        ctx.stderr.write(`${timestamp(ctx.wallClock.now())}  ${text(waitedMs, ofMs)}\n`);
        return;
      }
      const from = ctx.wallClock.now().getTime() - waitedMs;
      const draw = (): void => {
        const waited = Math.min(ofMs, ctx.wallClock.now().getTime() - from);
        ctx.stderr.write(`\r\x1b[2K${SPINNER[frame++ % SPINNER.length] ?? ''} ${text(Math.floor(waited / 1000) * 1000, ofMs)}`);
        drawn = true;
      };
      if (timer) clearInterval(timer);
      // unref: a forgotten clear must not keep the process alive.
      timer = setInterval(draw, 1000).unref();
      draw();
    },
    clear,
  };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
