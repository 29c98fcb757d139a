import { Cron } from 'croner';
import { DateTime } from 'luxon';
import type { Config } from './config/schema.js';
import { deployOrder, isProduction } from './lifecycle/environments.js';
import type { ReleaseView } from './lifecycle/fold.js';

/*
 * Release schedules: targets (a release's deadline), trains (a cron cadence in the calendar's zone)
 * and their code freezes. Pure: the clock is always a parameter.
 */

type Schedule = Pick<Config, 'calendars' | 'schedule'>;

/** The freeze name a train's code freeze answers to in a freeze gate. */
export const codeFreezeName = (train: string): string => `${train}-code-freeze`;

/** The formats `--target` takes, for messages. */
export const TARGET_FORMATS = 'YYYY-MM-DD (the end of that day), YYYY-MM-DDTHH:MM (in the calendar time zone) or an RFC 3339 instant (2026-12-15T16:00:00Z)';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A target as written: `2026-12-15` (23:59 that day in `zone`), `2026-12-15T17:00` (in `zone`) or an
 * RFC 3339 instant. Null when it is none of those (or no such day: 2026-02-30).
 */
export function parseTarget(text: string, zone: string): Date | null {
  const value = text.trim();
  let parsed: DateTime;
  if (DAY.test(value)) parsed = DateTime.fromISO(value, { zone }).set({ hour: 23, minute: 59 });
  else if (LOCAL.test(value)) parsed = DateTime.fromISO(value, { zone });
  else if (INSTANT.test(value)) parsed = DateTime.fromISO(value, { setZone: true });
  else return null;
  return parsed.isValid ? parsed.toJSDate() : null;
}

/**
 * A `YYYY-MM-DDTHH:MM` wall time that does not exist in `zone` (the clocks skip it: spring forward),
 * and the wall time it is taken as (`02:30` → `03:30` in Europe/Berlin on 28 Mar 2027), else null.
 */
export function skippedWallTime(text: string, zone: string): { given: string; taken: string } | null {
  const value = text.trim();
  if (!LOCAL.test(value)) return null;
  const parsed = DateTime.fromISO(value, { zone });
  if (!parsed.isValid) return null;
  const taken = parsed.toFormat("yyyy-LL-dd'T'HH:mm");
  return taken === value ? null : { given: value.slice(11), taken: taken.slice(11) };
}

export interface Departure {
  train: string;
  departs: Date;
  /** When its code freeze begins (null: the train has none). */
  codeFreezeFrom: Date | null;
}

const UNITS: Record<string, string> = { ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours', d: 'days' };

/**
 * `departs` less a code freeze's length (`2d`, `36h`, `1d12h`), in `zone`: days are calendar days, so
 * a 2d code freeze before Tuesday 10:00 begins Sunday 10:00 local across a daylight-saving change too.
 */
export function codeFreezeStart(departs: Date, length: string, zone: string): Date {
  const parts: Record<string, number> = {};
  for (const [, n, unit] of length.matchAll(/([0-9]+)(ms|s|m|h|d)/g)) {
    const key = UNITS[unit as string] as string;
    parts[key] = (parts[key] ?? 0) + Number(n);
  }
  return DateTime.fromJSDate(departs, { zone }).minus(parts).toJSDate();
}

const cronIn = (expression: string, zone: string): Cron => new Cron(expression, { timezone: zone, paused: true });

/** A train's departures in [from, to), at most `limit`. */
function departures(name: string, train: Config['schedule']['trains'][string], zone: string, from: Date, to: Date | null, limit: number): Departure[] {
  const out: Departure[] = [];
  const cron = cronIn(train.cron, zone);
  // nextRun is strictly after its argument: start a millisecond before, so a departure at `from` counts.
  let at: Date | null = cron.nextRun(new Date(from.getTime() - 1));
  while (at && out.length < limit && (to === null || at < to)) {
    out.push({ train: name, departs: at, codeFreezeFrom: train.code_freeze ? codeFreezeStart(at, train.code_freeze, zone) : null });
    at = cron.nextRun(at);
  }
  return out;
}

/** The next `n` departures of all trains after `now`, soonest first (ties by train name). */
export function nextTrains(config: Schedule, now: Date, n: number): Departure[] {
  const zone = config.calendars.timezone;
  const all = Object.entries(config.schedule.trains).flatMap(([name, train]) => departures(name, train, zone, new Date(now.getTime() + 1), null, n));
  return all.sort((a, b) => a.departs.getTime() - b.departs.getTime() || a.train.localeCompare(b.train)).slice(0, n);
}

/** Whether a departure's code freeze has begun at `now` (it ends when the train departs). */
export const inCodeFreeze = (d: Departure, now: Date): boolean => d.codeFreezeFrom !== null && d.codeFreezeFrom <= now && now < d.departs;

/**
 * The train a release planned at `now` can still catch: the soonest departure of all trains whose code
 * freeze has not begun (`now < departs − code_freeze`), and the departures before it that are already
 * in their code freeze (skipped: a release aiming at one could not be cut before it leaves).
 */
export function nextOpenDeparture(config: Schedule, now: Date): { departure: Departure; frozen: Departure[] } | null {
  const zone = config.calendars.timezone;
  const frozen: Departure[] = [];
  const open: Departure[] = [];
  for (const [name, train] of Object.entries(config.schedule.trains)) {
    // A code freeze longer than the train's interval spans several departures: walk until one is open.
    for (const d of departures(name, train, zone, new Date(now.getTime() + 1), null, 400)) {
      if (!inCodeFreeze(d, now)) {
        open.push(d);
        break;
      }
      frozen.push(d);
    }
  }
  const soonest = (a: Departure, b: Departure): number => a.departs.getTime() - b.departs.getTime() || a.train.localeCompare(b.train);
  const [departure] = open.sort(soonest);
  if (!departure) return null;
  return { departure, frozen: frozen.filter((d) => d.departs < departure.departs).sort(soonest) };
}

/** The departures whose code freeze `at` falls in (from its start until the train departs, inclusive). */
export function codeFreezesAt(config: Schedule, at: Date): Departure[] {
  const zone = config.calendars.timezone;
  return Object.entries(config.schedule.trains).flatMap(([name, train]) => {
    if (!train.code_freeze) return [];
    const [d] = departures(name, train, zone, at, null, 1);
    return d?.codeFreezeFrom && d.codeFreezeFrom <= at ? [d] : [];
  });
}

/** Every departure of every train in [from, to), soonest first. */
export function trainsBetween(config: Schedule, from: Date, to: Date, limit = 2000): Departure[] {
  const zone = config.calendars.timezone;
  // A code freeze that began before `from` but whose train departs inside: the departure is in range anyway.
  const all = Object.entries(config.schedule.trains).flatMap(([name, train]) => departures(name, train, zone, from, to, limit));
  return all.sort((a, b) => a.departs.getTime() - b.departs.getTime() || a.train.localeCompare(b.train));
}

/**
 * A train's code freeze as a freeze: active from `code_freeze` before a departure until the
 * departure. The end of the one active at `at`, or null (no such train, no code freeze, not active).
 */
export function codeFreezeEnd(config: Schedule, name: string, at: Date): Date | null {
  const train = trainOfCodeFreeze(config, name);
  if (!train) return null;
  const [next] = departures(train, config.schedule.trains[train] as Config['schedule']['trains'][string], config.calendars.timezone, new Date(at.getTime() + 1), null, 1);
  return next?.codeFreezeFrom && next.codeFreezeFrom <= at ? next.departs : null;
}

/** The train whose code freeze `name` is (`weekly-code-freeze` → `weekly`), when it has one. */
export function trainOfCodeFreeze(config: Pick<Config, 'schedule'>, name: string): string | null {
  const suffix = codeFreezeName('');
  if (!name.endsWith(suffix)) return null;
  const train = name.slice(0, -suffix.length);
  return config.schedule.trains[train]?.code_freeze ? train : null;
}

/** The code freeze names the config defines (`<train>-code-freeze` for each train with a code_freeze). */
export const codeFreezeNames = (config: Pick<Config, 'schedule'>): string[] =>
  Object.entries(config.schedule.trains)
    .filter(([, t]) => t.code_freeze)
    .map(([name]) => codeFreezeName(name));

/**
 * `3 days`, `5 hours`, `45 minutes`, `1 day`: the span from `a` to `b` (either order) in the largest
 * unit that is at least one, rounded. Days are calendar days in `zone`: across a daylight-saving
 * change, Saturday 10:00 to Tuesday 10:00 is 3 days (71 or 73 hours).
 */
export function humanSpan(a: Date, b: Date, zone: string): string {
  const [from, to] = a <= b ? [a, b] : [b, a];
  const days = DateTime.fromJSDate(to, { zone }).diff(DateTime.fromJSDate(from, { zone }), 'days').days;
  const hours = (to.getTime() - from.getTime()) / 3_600_000;
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  // Rounded to the nearest unit: 23 h 59 min 59 s is a day, not 24 hours.
  if (days >= 1 || Math.round(hours) >= 24) return plural(Math.max(1, Math.round(days)), 'day');
  if (Math.round(hours * 60) >= 60) return plural(Math.max(1, Math.round(hours)), 'hour');
  // Seconds are not worth a number: "overdue by less than a minute", never "by 1 minute" three seconds after.
  const minutes = Math.round(hours * 60);
  return minutes < 1 ? 'less than a minute' : plural(minutes, 'minute');
}

export type DuenessState = 'due' | 'overdue' | 'met' | 'missed';

export interface Dueness {
  state: DuenessState;
  /** How far from the target: before it (due, met) or past it (overdue, missed), in milliseconds. */
  ms: number;
  /** `due in 3 days`, `overdue by 2 days`, `met its target (1 day early)`, `missed its target by 5 hours`. */
  text: string;
}

/**
 * Where a release stands against its target: due or overdue until a production-tier deploy
 * succeeds (`deployedAt`), then met or missed.
 */
export function dueness(target: Date, deployedAt: Date | null, now: Date, zone: string): Dueness {
  const at = deployedAt ?? now;
  const ms = Math.abs(target.getTime() - at.getTime());
  const span = humanSpan(target, at, zone);
  const early = at <= target;
  if (deployedAt === null) return early ? { state: 'due', ms, text: `due in ${span}` } : { state: 'overdue', ms, text: `overdue by ${span}` };
  if (!early) return { state: 'missed', ms, text: `missed its target by ${span}` };
  return { state: 'met', ms, text: ms < 60_000 ? 'met its target' : `met its target (${span} early)` };
}

/** When a production-tier deploy of the release first succeeded, or null. */
export function productionDeployedAt(release: ReleaseView, config: Config | null): Date | null {
  const times = deployOrder(config)
    .filter((env) => isProduction(config, env))
    .flatMap((env) => release.environments[env]?.deploy?.attempts ?? [])
    .filter((a) => a.state === 'succeeded' && a.finishedAt !== null)
    .map((a) => Date.parse(a.finishedAt as string));
  return times.length === 0 ? null : new Date(Math.min(...times));
}

/** The release's recorded target (`release.planned`'s `data.target`), or null. */
export function releaseTarget(release: Pick<ReleaseView, 'planned'>): { target: Date; train: string | null } | null {
  const { target, train } = release.planned;
  if (typeof target !== 'string' || Number.isNaN(Date.parse(target))) return null;
  return { target: new Date(target), train: typeof train === 'string' ? train : null };
}
