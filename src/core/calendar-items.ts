import { Cron } from 'croner';
import { DateTime } from 'luxon';
import type { Config } from './config/schema.js';
import { parseDuration } from './duration.js';
import { codeFreezeName, trainsBetween } from './schedule.js';

/*
 * Everything scheduled in a range, for `relmgr calendar`: train departures, their code freezes, the
 * open releases' targets, freezes (one-off ranges; recurring ones expanded) and deployment windows
 * (each opening). Pure: the range is given; instants are Dates, zones IANA names.
 */

export type CalendarKind = 'train' | 'code-freeze' | 'target' | 'freeze' | 'window';

export interface CalendarItem {
  kind: CalendarKind;
  /** The train, freeze or window name, or the release's version. */
  name: string;
  start: Date;
  /** Null for a moment (a departure, a target). */
  end: Date | null;
  /** The zone its times are written in (a window may have its own). */
  zone: string;
  /** `Code freeze — weekly train`, `Freeze: year-end`, `Deployment window: office-hours`, `Target: 1.4.0`. */
  summary: string;
  /** Stable across runs: the same item keeps it, so a calendar that imports the file again updates rather than duplicates. */
  uid: string;
}

export interface TargetInput {
  version: string;
  target: Date;
  train: string | null;
}

/** At most this many occurrences of one recurring freeze or window in a range (a range is at most 366 days). */
const MAX_OCCURRENCES = 2000;
/** How far back a recurring freeze that is active at the start of the range may have begun. */
const LOOKBACK_MS = 62 * 86_400_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const overlaps = (start: Date, end: Date | null, from: Date, to: Date): boolean => (end === null ? start >= from && start < to : start < to && end > from);

/** `relmgr-` + a slug of the project: UIDs of two projects in one calendar never collide. */
const uidOf = (project: string, ...parts: string[]): string => `${parts.join('/')}@${project.replace(/[^A-Za-z0-9.-]+/g, '-') || 'project'}.relmgr`;
const stamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function freezes(config: Config, from: Date, to: Date, project: string): CalendarItem[] {
  const zone = config.calendars.timezone;
  const out: CalendarItem[] = [];
  for (const [name, freeze] of Object.entries(config.calendars.freezes)) {
    const base = { kind: 'freeze' as const, name, zone, summary: `Freeze: ${name}` };
    if ('from' in freeze) {
      const start = DateTime.fromISO(freeze.from, { zone }).toJSDate();
      const end = DateTime.fromISO(freeze.to, { zone }).toJSDate();
      if (overlaps(start, end, from, to)) out.push({ ...base, start, end, uid: uidOf(project, 'freeze', name) });
      continue;
    }
    const starts = new Cron(freeze.start, { timezone: zone, paused: true });
    const ends = new Cron(freeze.end, { timezone: zone, paused: true });
    let start = starts.nextRun(new Date(from.getTime() - LOOKBACK_MS));
    for (let n = 0; start && start < to && n < MAX_OCCURRENCES; n++, start = starts.nextRun(start)) {
      const end = ends.nextRun(start);
      if (end && overlaps(start, end, from, to)) out.push({ ...base, start, end, uid: uidOf(project, 'freeze', name, stamp(start)) });
    }
  }
  return out;
}

function windows(config: Config, from: Date, to: Date, project: string): CalendarItem[] {
  const out: CalendarItem[] = [];
  for (const [name, w] of Object.entries(config.calendars.windows)) {
    const zone = w.timezone ?? config.calendars.timezone;
    const clock = (day: DateTime, time: string): DateTime => day.set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)) });
    const overnight = w.to <= w.from;
    const last = DateTime.fromJSDate(to, { zone });
    // The day before `from`: its window may run past midnight into the range.
    let day = DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 1 });
    for (let n = 0; day <= last && n < MAX_OCCURRENCES; day = day.plus({ days: 1 })) {
      if (!w.days.includes(WEEKDAYS[day.weekday - 1] as (typeof WEEKDAYS)[number])) continue;
      const start = clock(day, w.from).toJSDate();
      const end = clock(day.plus({ days: overnight ? 1 : 0 }), w.to).toJSDate();
      if (!overlaps(start, end, from, to)) continue;
      n++;
      out.push({ kind: 'window', name, start, end, zone, summary: `Deployment window: ${name}`, uid: uidOf(project, 'window', name, stamp(start)) });
    }
  }
  return out;
}

function trains(config: Config, from: Date, to: Date, project: string): CalendarItem[] {
  const zone = config.calendars.timezone;
  const longest = Math.max(0, ...Object.values(config.schedule.trains).map((t) => (t.code_freeze ? (parseDuration(t.code_freeze) ?? 0) : 0)));
  // A code freeze in the range may belong to a train that departs after it (up to a code freeze's length, and a day for DST).
  const departures = trainsBetween(config, from, new Date(to.getTime() + longest + 86_400_000));
  const out: CalendarItem[] = [];
  for (const d of departures) {
    if (d.departs < to) out.push({ kind: 'train', name: d.train, start: d.departs, end: null, zone, summary: `Release train: ${d.train}`, uid: uidOf(project, 'train', d.train, stamp(d.departs)) });
    if (d.codeFreezeFrom && overlaps(d.codeFreezeFrom, d.departs, from, to)) {
      out.push({ kind: 'code-freeze', name: codeFreezeName(d.train), start: d.codeFreezeFrom, end: d.departs, zone, summary: `Code freeze — ${d.train} train`, uid: uidOf(project, 'code-freeze', d.train, stamp(d.departs)) });
    }
  }
  return out;
}

/** Every item in [from, to), ordered by start (then by kind and name). */
export function calendarItems(config: Config, targets: readonly TargetInput[], from: Date, to: Date, project: string): CalendarItem[] {
  const zone = config.calendars.timezone;
  const releases = targets
    .filter((t) => overlaps(t.target, null, from, to))
    .map((t): CalendarItem => ({ kind: 'target', name: t.version, start: t.target, end: null, zone, summary: `Target: ${t.version}${t.train ? ` (${t.train} train)` : ''}`, uid: uidOf(project, 'target', t.version) }));
  const all = [...trains(config, from, to, project), ...releases, ...freezes(config, from, to, project), ...windows(config, from, to, project)];
  return all.sort((a, b) => a.start.getTime() - b.start.getTime() || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/**
 * A bound of the range as written: `2026-12-01` (the start of that day in `zone`; as `--to`, the end
 * of it: the day is included), `2026-12-01T08:00` (in `zone`) or an RFC 3339 instant. Null: none of those.
 */
export function parseBound(text: string, zone: string, side: 'from' | 'to'): Date | null {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = DateTime.fromISO(value, { zone });
    return day.isValid ? (side === 'to' ? day.plus({ days: 1 }) : day).toJSDate() : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) {
    const local = DateTime.fromISO(value, { zone });
    return local.isValid ? local.toJSDate() : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return null;
  const instant = DateTime.fromISO(value, { setZone: true });
  return instant.isValid ? instant.toJSDate() : null;
}
