import type { Dora } from './model.js';

/*
 * The DORA performance levels of the 2023 State of DevOps report, per metric:
 *   deployment frequency  elite: several a day (≥ 7 a week) · high: daily to weekly (≥ 1) · medium: weekly to
 *                         monthly (≥ 12/52, once a month) · low: less often;
 *   lead time for changes elite: < 1 day · high: < 1 week · medium: < 1 month (30 days) · low: longer;
 *   change failure rate   elite: ≤ 5 % · high: ≤ 10 % · medium: ≤ 15 % · low: more;
 *   time to restore       elite: < 1 hour · high: < 1 day · medium: < 1 week · low: longer.
 * A metric with nothing to measure (null) has no level.
 */

export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Lower is better for every metric but deployment frequency: the first bound a value is under (or at) names its level. */
function byBounds(value: number | null, bounds: [number, number, number], inclusive: boolean): DoraLevel | null {
  if (value === null || !Number.isFinite(value)) return null;
  const levels: DoraLevel[] = ['elite', 'high', 'medium'];
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i] as number;
    if (inclusive ? value <= bound : value < bound) return levels[i] as DoraLevel;
  }
  return 'low';
}

export function deploymentFrequencyLevel(perWeek: number | null): DoraLevel | null {
  if (perWeek === null || !Number.isFinite(perWeek)) return null;
  if (perWeek >= 7) return 'elite';
  if (perWeek >= 1) return 'high';
  if (perWeek >= 12 / 52) return 'medium';
  return 'low';
}

/** Seconds. */
export function leadTimeLevel(seconds: number | null): DoraLevel | null {
  return byBounds(seconds, [DAY, 7 * DAY, 30 * DAY], false);
}

/** A ratio, 0..1. */
export function changeFailureRateLevel(rate: number | null): DoraLevel | null {
  return byBounds(rate, [0.05, 0.1, 0.15], true);
}

/** Seconds. */
export function timeToRestoreLevel(seconds: number | null): DoraLevel | null {
  return byBounds(seconds, [HOUR, DAY, 7 * DAY], false);
}

/** Each metric's level; lead time is judged by its median. */
export function doraLevels(dora: Dora): Record<'deploymentFrequency' | 'leadTimeForChanges' | 'changeFailureRate' | 'timeToRestore', DoraLevel | null> {
  return {
    deploymentFrequency: deploymentFrequencyLevel(dora.deploymentFrequency),
    leadTimeForChanges: leadTimeLevel(dora.leadTimeForChanges.median),
    changeFailureRate: changeFailureRateLevel(dora.changeFailureRate),
    timeToRestore: timeToRestoreLevel(dora.timeToRestore),
  };
}
