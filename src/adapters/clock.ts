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
