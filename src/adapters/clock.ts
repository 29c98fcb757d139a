import { RelmgrError } from '../errors.js';

export interface Clock {
  now(): Date;
}

/**
 * The system clock. `SOURCE_DATE_EPOCH` (seconds since the epoch, the reproducible-builds
 * convention) pins it, so documents rendered in CI or tests carry a stable date.
 */
export function systemClock(env: Readonly<Record<string, string | undefined>>): Clock {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) {
    const fixed = new Date(Number(epoch) * 1000);
    return { now: () => new Date(fixed.getTime()) };
  }
  return { now: () => new Date() };
}

/**
 * Sleeps `ms`; Ctrl-C (SIGINT, or SIGTERM) while asleep ends the wait with E_ABORTED (exit 130)
 * instead of killing relmgr, so the command closes what it opened — its lock, the ledger events it
 * has not pushed — and says how to go on. Only waits between things (`--wait`, a check's interval):
 * a running step has its own handling.
 */
export function interruptibleSleep(ms: number, abort?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    // An aborted wait ends at once (quietly): nothing is left that keeps the process alive.
    // Whatever ends the wait removes every listener it added (a signal shared by many waits gathers none).
    const release = (): void => {
      clearTimeout(timer);
      for (const s of signals) process.off(s, stop);
      abort?.removeEventListener('abort', ended);
    };
    const ended = (): void => {
      release();
      resolve();
    };
    const stop = (signal: NodeJS.Signals): void => {
      release();
      reject(new RelmgrError('E_ABORTED', `stopped while waiting (${signal}): nothing else was changed`, { hint: 'run the same command again to go on (relmgr status shows where the release stands)' }));
    };
    const timer = setTimeout(ended, ms);
    for (const s of signals) process.once(s, stop);
    if (abort?.aborted) ended();
    else abort?.addEventListener('abort', ended, { once: true });
  });
}
