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

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** The waits asleep now: one process listener per signal serves them all (many at once — a backoff per webhook — add none). */
const sleepers = new Set<(signal: NodeJS.Signals) => void>();
const wake = (signal: NodeJS.Signals): void => {
  for (const sleeper of [...sleepers]) sleeper(signal);
};

function addSleeper(sleeper: (signal: NodeJS.Signals) => void): void {
  if (sleepers.size === 0) for (const s of SIGNALS) process.on(s, wake);
  sleepers.add(sleeper);
}

function removeSleeper(sleeper: (signal: NodeJS.Signals) => void): void {
  if (!sleepers.delete(sleeper) || sleepers.size > 0) return;
  for (const s of SIGNALS) process.off(s, wake);
}

/**
 * Sleeps `ms`; Ctrl-C (SIGINT, or SIGTERM) while asleep ends the wait with E_ABORTED (exit 130)
 * instead of killing relmgr, so the command closes what it opened — its lock, the ledger events it
 * has not pushed — and says how to go on. Only waits between things (`--wait`, a check's interval):
 * a running step has its own handling.
 */
export function interruptibleSleep(ms: number, abort?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // An aborted wait ends at once (quietly): nothing is left that keeps the process alive.
    // Whatever ends the wait removes what it added (a signal shared by many waits gathers nothing).
    const release = (): void => {
      clearTimeout(timer);
      removeSleeper(stop);
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
    addSleeper(stop);
    if (abort?.aborted) ended();
    else abort?.addEventListener('abort', ended, { once: true });
  });
}
