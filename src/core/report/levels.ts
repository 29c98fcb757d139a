import type { Dora } from './model.js';

/** DORA performance levels (the 2023 State of DevOps report's clusters, as thresholds: see docs/report.md). */
export type Level = 'elite' | 'high' | 'medium' | 'low';

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Deployments per week: elite daily or more (on demand), high weekly or more, medium monthly or more (12 a year), else low. */
export const frequencyLevel = (perWeek: number): Level => (perWeek >= 7 ? 'elite' : perWeek >= 1 ? 'high' : perWeek >= 12 / 52 ? 'medium' : 'low');
/** Median lead time: elite under a day, high up to a week, medium up to a month (30 days), else low. */
export const leadTimeLevel = (seconds: number): Level => (seconds < DAY ? 'elite' : seconds <= 7 * DAY ? 'high' : seconds <= 30 * DAY ? 'medium' : 'low');
/** Change failure rate: elite up to 5 %, high up to 10 %, medium up to 15 %, else low. */
export const failureRateLevel = (rate: number): Level => (rate <= 0.05 ? 'elite' : rate <= 0.1 ? 'high' : rate <= 0.15 ? 'medium' : 'low');
/** Median time to restore: elite under an hour, high under a day, medium up to a week, else low. */
export const restoreLevel = (seconds: number): Level => (seconds < HOUR ? 'elite' : seconds < DAY ? 'high' : seconds <= 7 * DAY ? 'medium' : 'low');

/** Each metric's level; null where the metric is. */
export function levels(dora: Dora): Record<'deploymentFrequency' | 'leadTimeForChanges' | 'changeFailureRate' | 'timeToRestore', Level | null> {
  return {
    deploymentFrequency: dora.deploymentFrequency === null ? null : frequencyLevel(dora.deploymentFrequency),
    leadTimeForChanges: dora.leadTimeForChanges.median === null ? null : leadTimeLevel(dora.leadTimeForChanges.median),
    changeFailureRate: dora.changeFailureRate === null ? null : failureRateLevel(dora.changeFailureRate),
    timeToRestore: dora.timeToRestore === null ? null : restoreLevel(dora.timeToRestore),
  };
}

/** `2d 4h`, `6d`, `3h 20m`, `45m`, `30s`: a duration in seconds, its two largest units. */
export function humanDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  const parts: [number, string][] = [
    [Math.floor(s / DAY), 'd'],
    [Math.floor((s % DAY) / HOUR), 'h'],
    [Math.floor((s % HOUR) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  const shown = parts.slice(first, first + 2).filter(([n]) => n > 0);
  return `${seconds < 0 ? '-' : ''}${shown.map(([n, unit]) => `${n}${unit}`).join(' ')}`;
}
