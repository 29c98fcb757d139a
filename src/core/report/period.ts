import { DateTime } from 'luxon';
import semver from 'semver';
import { UsageError } from '../../errors.js';

/** The period a report measures: [from, to), in UTC, and the calendar zone its bounds were read in. */
export interface Period {
  from: Date;
  to: Date;
  timezone: string;
}

/** `a..b`: every release whose version is between them, both included (semver order). */
export interface VersionRange {
  from: string;
  to: string;
}

export const DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const FORMAT = 'YYYY-MM-DD (a day in calendars.timezone) or an RFC 3339 instant (2026-03-01T09:00:00Z)';

/**
 * A period bound: a day (its start in the zone; `--to` takes the whole day, up to the next day's
 * start) or an RFC 3339 instant with its offset. Anything else is a usage error naming the flag.
 */
export function parseBound(flag: '--from' | '--to', text: string, zone: string): Date {
  const bad = (): UsageError => new UsageError('E_USAGE', `${flag} ${JSON.stringify(text)} is not a date: use ${FORMAT}`, { hint: `relmgr report ${flag} 2026-03-01` });
  if (DAY.test(text)) {
    const day = DateTime.fromISO(text, { zone });
    if (!day.isValid) throw bad();
    return (flag === '--to' ? day.plus({ days: 1 }) : day).startOf('day').toJSDate();
  }
  if (!INSTANT.test(text)) throw bad();
  const instant = DateTime.fromISO(text.replace(' ', 'T'), { setZone: true });
  if (!instant.isValid) throw bad();
  return instant.toJSDate();
}

/** The period of `--from`/`--to`: by default the 90 days up to now; `--from` alone runs up to now, `--to` alone covers the 90 days before it. */
export function resolvePeriod(options: { from?: string | undefined; to?: string | undefined }, zone: string, now: Date): Period {
  const from = options.from === undefined ? null : parseBound('--from', options.from, zone);
  const to = options.to === undefined ? null : parseBound('--to', options.to, zone);
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime()) {
    const until = options.to === undefined ? 'now' : `--to ${options.to}`;
    throw new UsageError('E_USAGE', `--from ${options.from ?? ''} is not before ${until}: the period would be empty`, {
      hint: `relmgr report --from ${DateTime.fromJSDate(end, { zone }).minus({ days: DEFAULT_DAYS }).toISODate() ?? ''} --to ${options.to ?? DateTime.fromJSDate(end, { zone }).toISODate() ?? ''}`,
    });
  }
  return { from: start, to: end, timezone: zone };
}

/** `1.2.0..1.5.0` (a leading v is allowed on each); a malformed or reversed range is a usage error. */
export function parseVersionRange(text: string): VersionRange {
  const parts = text.trim().split('..');
  const version = (part: string | undefined): string | null => (parts.length === 2 && part !== undefined && /^v?\d/.test(part) ? semver.valid(part.replace(/^v/, '')) : null);
  const from = version(parts[0]);
  const to = version(parts[1]);
  if (from === null || to === null) {
    throw new UsageError('E_USAGE', `--versions ${JSON.stringify(text)} is not a version range: use <a>..<b>, two versions (1.2.0..1.5.0)`, { hint: 'relmgr report --versions 1.2.0..1.5.0' });
  }
  if (semver.gt(from, to)) {
    throw new UsageError('E_USAGE', `--versions ${text}: ${from} comes after ${to}; the range runs from the older to the newer`, { hint: `relmgr report --versions ${to}..${from}` });
  }
  return { from, to };
}

export const inRange = (version: string, range: VersionRange): boolean => semver.valid(version) !== null && semver.gte(version, range.from) && semver.lte(version, range.to);

/** Whether an instant (RFC 3339) lies in [from, to). */
export const inPeriod = (at: string, period: Period): boolean => {
  const t = Date.parse(at);
  return t >= period.from.getTime() && t < period.to.getTime();
};

/** The period's length in days of 24 hours, to three decimals. */
export const periodDays = (period: Period): number => Math.round(((period.to.getTime() - period.from.getTime()) / DAY_MS) * 1000) / 1000;

/** The ISO week of an instant in the zone, as `2026-W05`. */
export const isoWeek = (at: Date | string, zone: string): string =>
  (typeof at === 'string' ? DateTime.fromISO(at, { zone: 'UTC' }) : DateTime.fromJSDate(at)).setZone(zone).toFormat("kkkk-'W'WW");

/** The ISO weeks (Monday 00:00 in the zone) that cover the period, oldest first, with the instant each starts (epoch ms). */
export function weekStarts(period: Period): { week: string; start: number }[] {
  const weeks: { week: string; start: number }[] = [];
  let monday = DateTime.fromJSDate(period.from).setZone(period.timezone).startOf('week');
  const end = period.to.getTime();
  while (monday.toMillis() < end) {
    weeks.push({ week: monday.toFormat("kkkk-'W'WW"), start: monday.toMillis() });
    monday = monday.plus({ weeks: 1 });
  }
  return weeks;
}

/** The ISO weeks that cover the period, oldest first (`2026-W05`). */
export const weeksOf = (period: Period): string[] => weekStarts(period).map((w) => w.week);

/** The index of the week an instant (epoch ms) falls in — the last that starts at or before it — or -1 before the first. */
export function weekIndex(starts: readonly { start: number }[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as { start: number }).start <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
