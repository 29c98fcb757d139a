import { Cron } from 'croner';
import { DateTime } from 'luxon';
import type { Config } from '../config/schema.js';
import { codeFreezeEnd, codeFreezeNames } from '../schedule.js';
import type { GateState } from './state.js';

/*
 * Windows and freezes from `calendars`: zone arithmetic is luxon's, cron is croner's (each given the
 * calendar's zone), so a daylight-saving change moves a freeze's end with the wall clock.
 */

type Calendars = Config['calendars'];
type Freeze = Calendars['freezes'][string];
type Window = Calendars['windows'][string];
/** Trains: their code freezes (`<train>-code-freeze`) are freezes too. */
type Trains = Config['schedule'];

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * `Mon 30 Nov 2026 08:00 Europe/Berlin (07:00 UTC)`; a UTC calendar says it once. When the UTC date is
 * another day than the local one, the UTC part says its date: `… America/New_York (Mon 30 Nov 00:30 UTC)`.
 */
export function formatInstant(instant: Date, zone: string): string {
  const local = DateTime.fromJSDate(instant, { zone }).setLocale('en-GB');
  const utc = DateTime.fromJSDate(instant, { zone: 'UTC' }).setLocale('en-GB');
  const text = `${local.toFormat('ccc d LLL yyyy HH:mm')} ${zone}`;
  if (zone === 'UTC') return text;
  const sameDay = local.toFormat('yyyy-LL-dd') === utc.toFormat('yyyy-LL-dd');
  return `${text} (${utc.toFormat(sameDay ? 'HH:mm' : 'ccc d LLL HH:mm')} UTC)`;
}

/** `16:00 Europe/Berlin (15:00 UTC)`: a time later the same day. */
function formatClock(instant: Date, zone: string): string {
  const local = DateTime.fromJSDate(instant, { zone });
  const utc = DateTime.fromJSDate(instant, { zone: 'UTC' });
  return zone === 'UTC' ? `${local.toFormat('HH:mm')} UTC` : `${local.toFormat('HH:mm')} ${zone} (${utc.toFormat('HH:mm')} UTC)`;
}

/** Whether a freeze is active at `at`, and when it ends if so. Unknown names are reported by the caller. */
export function freezeEnd(freeze: Freeze, zone: string, at: Date): Date | null {
  if ('from' in freeze) {
    const from = DateTime.fromISO(freeze.from, { zone }).toJSDate();
    const to = DateTime.fromISO(freeze.to, { zone }).toJSDate();
    return from <= at && at < to ? to : null;
  }
  // A recurring freeze is active when its next end comes before its next start: Fri 16:00 → Mon 08:00 spans the weekend.
  const nextEnd = new Cron(freeze.end, { timezone: zone, paused: true }).nextRun(at);
  const nextStart = new Cron(freeze.start, { timezone: zone, paused: true }).nextRun(at);
  if (!nextEnd) return null;
  return !nextStart || nextEnd < nextStart ? nextEnd : null;
}

const unknown = (kind: string, names: string[]): GateState => ({
  status: 'failed',
  reason: `${kind} ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not under calendars.${kind === 'freeze' ? 'freezes' : 'windows'}`,
});

const NO_TRAINS: Trains = { trains: {} };

/** Whether `name` is a freeze: under calendars.freezes, or a train's code freeze. */
const isFreeze = (calendars: Calendars, schedule: Trains, name: string): boolean => calendars.freezes[name] !== undefined || codeFreezeNames({ schedule }).includes(name);

/** The names among `names` active at `at`, each with its end. */
function activeAt(calendars: Calendars, schedule: Trains, names: readonly string[], at: Date): Map<string, Date> {
  const active = new Map<string, Date>();
  for (const name of names) {
    const freeze = calendars.freezes[name];
    const end = freeze ? freezeEnd(freeze, calendars.timezone, at) : codeFreezeEnd({ calendars, schedule }, name, at);
    if (end) active.set(name, end);
  }
  return active;
}

/** The freezes of a freeze gate active now (name → end), for the emergency track's override. */
export function activeFreezes(calendars: Calendars, names: readonly string[], now: Date, schedule: Trains = NO_TRAINS): string[] {
  return [...activeAt(calendars, schedule, names.filter((n) => isFreeze(calendars, schedule, n)), now).keys()];
}

/** A freeze gate: pending while any of its freezes (a train's code freeze among them) is active, until the first instant none is. */
export function evaluateFreeze(calendars: Calendars, names: readonly string[], now: Date, schedule: Trains = NO_TRAINS): GateState {
  const missing = names.filter((n) => !isFreeze(calendars, schedule, n));
  if (missing.length > 0) return unknown('freeze', missing);
  const zone = calendars.timezone;
  const active = activeAt(calendars, schedule, names, now);
  if (active.size === 0) return { status: 'passed', reason: `no freeze active (${names.join(', ')})` };
  // Ending one freeze may leave another active (or start one): step from end to end until none is.
  let clear = now;
  for (let i = 0, current = active; current.size > 0 && i < 100; i++) {
    clear = new Date(Math.max(...[...current.values()].map((d) => d.getTime())));
    current = activeAt(calendars, schedule, names, clear);
  }
  const parts = [...active].map(([name, end]) => `${name} until ${formatInstant(end, zone)}`);
  const latest = Math.max(...[...active.values()].map((d) => d.getTime()));
  const after = clear.getTime() !== latest ? `; no freeze until ${formatInstant(clear, zone)}` : '';
  return { status: 'pending', reason: `frozen by ${parts.join(' and ')}${after}`, changesAt: clear.toISOString() };
}

const minutes = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

/** `mon–thu`, `mon, wed, fri`: runs of consecutive days joined. */
function describeDays(days: readonly string[]): string {
  const indices = WEEKDAYS.map((d, i) => (days.includes(d) ? i : -1)).filter((i) => i >= 0);
  const runs: number[][] = [];
  for (const i of indices) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === i - 1) run.push(i);
    else runs.push([i]);
  }
  return runs.map((r) => (r.length > 2 ? `${WEEKDAYS[r[0] as number]}–${WEEKDAYS[r[r.length - 1] as number]}` : r.map((i) => WEEKDAYS[i]).join(', '))).join(', ');
}

const describeWindow = (name: string, w: Window, zone: string): string => `${name} (${describeDays(w.days)} ${w.from}–${w.to} ${zone})`;

/**
 * Where `now` stands against a window: open until when, or when it opens next. A window opens on each
 * of its days at `from` and closes at `to` the same day; `to` at or before `from` means it runs past
 * midnight and closes at `to` the next day (so `fri 22:00–02:00` is open early Saturday too).
 */
function windowAt(w: Window, zone: string, now: Date): { openUntil: Date } | { opensAt: Date } {
  const here = DateTime.fromJSDate(now, { zone });
  const overnight = minutes(w.to) <= minutes(w.from);
  let opensAt: Date | null = null;
  // Yesterday's window may still be open past midnight; otherwise look a week ahead.
  for (let offset = -1; offset <= 7; offset++) {
    const day = here.startOf('day').plus({ days: offset });
    if (!w.days.includes(WEEKDAYS[day.weekday - 1] as (typeof WEEKDAYS)[number])) continue;
    const start = day.set({ hour: Number(w.from.slice(0, 2)), minute: Number(w.from.slice(3)) });
    const end = day.plus({ days: overnight ? 1 : 0 }).set({ hour: Number(w.to.slice(0, 2)), minute: Number(w.to.slice(3)) });
    if (start <= here && here < end) return { openUntil: end.toJSDate() };
    if (start > here && !opensAt) opensAt = start.toJSDate();
  }
  return { opensAt: opensAt as Date };
}

/** A window gate: passes while any of its windows is open; pending until the next one opens. */
export function evaluateWindow(calendars: Calendars, names: readonly string[], now: Date): GateState {
  const missing = names.filter((n) => !calendars.windows[n]);
  if (missing.length > 0) return unknown('window', missing);
  const outside: string[] = [];
  let next: Date | null = null;
  for (const name of names) {
    const w = calendars.windows[name] as Window;
    const zone = w.timezone ?? calendars.timezone;
    const where = windowAt(w, zone, now);
    if ('openUntil' in where) return { status: 'passed', reason: `inside window ${describeWindow(name, w, zone)} until ${formatClock(where.openUntil, zone)}` };
    outside.push(`outside window ${describeWindow(name, w, zone)}: opens ${formatInstant(where.opensAt, zone)}`);
    if (!next || where.opensAt < next) next = where.opensAt;
  }
  return { status: 'pending', reason: outside.join('; '), ...(next ? { changesAt: next.toISOString() } : {}) };
}
