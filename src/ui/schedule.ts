import { DateTime } from 'luxon';
import type { Config } from '../core/config/schema.js';
import { formatInstant } from '../core/gates/calendar.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { codeFreezeName, codeFreezesAt, codeFreezeStart, dueness, humanSpan, inCodeFreeze, nextOpenDeparture, nextTrains, parseTarget, skippedWallTime, productionDeployedAt, releaseTarget, TARGET_FORMATS, type Departure, type Dueness } from '../core/schedule.js';
import type { Track } from '../core/version.js';
import { UsageError } from '../errors.js';
import { timestamp } from '../core/duration.js';

/* Targets and trains as plan and status show them. */

const zoneOf = (config: Config | null): string => config?.calendars.timezone ?? 'UTC';

/**
 * The target a plan records (`data.target`, RFC 3339 UTC) and the train it aims at (`data.train`):
 * `--target` as given, else, for a normal release when trains exist, the soonest departure whose code
 * freeze has not begun (a train already in its code freeze could only be missed), else none.
 */
export function planTarget(config: Config | null, given: string | undefined, track: Track, now: Date): { target: string; train?: string } | null {
  const zone = zoneOf(config);
  if (given !== undefined) {
    const target = parseTarget(given, zone);
    if (target === null) throw new UsageError('E_USAGE', `--target "${given}" is not a date: use ${TARGET_FORMATS}`, { hint: `relmgr plan --target ${DateTime.fromJSDate(now, { zone }).plus({ days: 7 }).toFormat('yyyy-LL-dd')}` });
    if (target <= now) {
      throw new UsageError('E_USAGE', `--target ${given} (${formatInstant(target, zone)}) is in the past: a target is a deadline ahead (${TARGET_FORMATS})`, {
        hint: `relmgr plan --target ${DateTime.fromJSDate(now, { zone }).plus({ days: 7 }).toFormat('yyyy-LL-dd')}`,
      });
    }
    return { target: timestamp(target) };
  }
  if (track !== 'normal' || config === null) return null;
  const next = nextOpenDeparture(config, now)?.departure;
  return next ? { target: timestamp(next.departs), train: next.train } : null;
}

/** `Tue 1 Dec`: a departure's day, to name the train that leaves then. */
const shortDay = (instant: Date, zone: string): string => DateTime.fromJSDate(instant, { zone }).setLocale('en-GB').toFormat('ccc d LLL');

/**
 * What plan warns about a `--target` it takes as given: a wall time the clocks skip (moved forward, as
 * luxon does: said, not silent) and a target inside a train's code freeze (a build gated on it waits
 * until the train departs).
 */
export function targetWarnings(config: Config | null, given: string | undefined, planned: { target: string } | null, now: Date): string[] {
  if (given === undefined || planned === null) return [];
  const zone = zoneOf(config);
  const warnings: string[] = [];
  const skipped = skippedWallTime(given, zone);
  if (skipped) warnings.push(`--target ${given}: ${skipped.given} does not exist in ${zone} that day (the clocks skip it: daylight saving time begins); taken as ${skipped.taken}`);
  const target = new Date(planned.target);
  for (const d of config ? codeFreezesAt(config, target) : []) {
    const phase = inCodeFreeze(d, now) ? `the ${d.train} train of ${shortDay(d.departs, zone)} is in its code freeze` : `--target falls in the code freeze of the ${d.train} train of ${shortDay(d.departs, zone)}`;
    warnings.push(`${phase} (${shortInstant(d.codeFreezeFrom as Date, zone)} until ${shortInstant(d.departs, zone)}): a phase gated on ${codeFreezeName(d.train)} waits until ${shortInstant(d.departs, zone)}`);
  }
  return warnings;
}

/** `Target: Tue 15 Dec 2026 17:00 Europe/Berlin (16:00 UTC), in 5 days` and, for a train, `Train: weekly, departs …`. */
export function targetLines(config: Config | null, planned: { target?: string; train?: string } | null, now: Date): string[] {
  if (!planned?.target) return [];
  const zone = zoneOf(config);
  const target = new Date(planned.target);
  const lines = [`Target: ${formatInstant(target, zone)}, in ${humanSpan(now, target, zone)}`];
  if (planned.train && config) {
    // The trains skipped for this one: already in their code freeze when it was planned.
    const frozen = nextTrains(config, now, 50).filter((d) => d.departs < target && inCodeFreeze(d, now));
    for (const d of frozen) lines.push(`the ${d.train} train of ${shortDay(d.departs, zone)} is in its code freeze: aiming at ${shortInstant(target, zone)}`);
  }
  if (planned.train) {
    const lead = config?.schedule.trains[planned.train]?.code_freeze;
    lines.push(`Train: ${planned.train}, departs ${formatInstant(target, zone)}${lead ? `, code freeze from ${shortInstant(codeFreezeStart(target, lead, zone), zone)}` : ''}`);
  }
  return lines;
}

/** `Sun 6 Dec 10:00`: in the calendar's zone, named once by the line it is in. */
const shortInstant = (instant: Date, zone: string): string => DateTime.fromJSDate(instant, { zone }).setLocale('en-GB').toFormat('ccc d LLL HH:mm');

export interface ReleaseSchedule {
  target: string;
  train: string | null;
  /** `not-reached`: abandoned, or closed without a production-tier deploy (never due, never overdue). */
  state: Dueness['state'] | 'not-reached';
  text: string;
  deployedAt: string | null;
}

/** Where a release stands against its target, or null when it has none. */
export function releaseSchedule(config: Config | null, release: ReleaseView, now: Date): ReleaseSchedule | null {
  const recorded = releaseTarget(release);
  if (!recorded) return null;
  const zone = zoneOf(config);
  const deployedAt = productionDeployedAt(release, config);
  const base = { target: timestamp(recorded.target), train: recorded.train, deployedAt: deployedAt ? timestamp(deployedAt) : null };
  if (deployedAt === null && (release.state === 'abandoned' || release.state === 'closed')) {
    return { ...base, state: 'not-reached', text: `target was ${formatInstant(recorded.target, zone)}, not reached: ${release.state}` };
  }
  const due = dueness(recorded.target, deployedAt, now, zone);
  return { ...base, state: due.state, text: due.text };
}

/**
 * The next train as status shows it: `weekly — Tue 8 Dec 2026 10:00 Europe/Berlin (09:00 UTC), code freeze from Sun 6 Dec 10:00`,
 * or, once its code freeze has begun, `…, in its code freeze until Tue 8 Dec 10:00`.
 */
export function describeDeparture(config: Config, departure: Departure, now: Date): string {
  const zone = zoneOf(config);
  const freeze = departure.codeFreezeFrom === null ? '' : inCodeFreeze(departure, now) ? `, in its code freeze until ${shortInstant(departure.departs, zone)}` : `, code freeze from ${shortInstant(departure.codeFreezeFrom, zone)}`;
  return `${departure.train} — ${formatInstant(departure.departs, zone)}${freeze}`;
}

export const departureJson = (d: Departure) => ({ train: d.train, departs: timestamp(d.departs), codeFreezeFrom: d.codeFreezeFrom ? timestamp(d.codeFreezeFrom) : null });

/** Status's schedule lines: the release against its target and the next train. */
export function scheduleLines(config: Config | null, release: ReleaseView, now: Date): string[] {
  const lines: string[] = [];
  const schedule = releaseSchedule(config, release, now);
  if (schedule?.state === 'not-reached') lines.push(`  ${schedule.text}${schedule.train ? `, train ${schedule.train}` : ''}`);
  else if (schedule) lines.push(`  ${schedule.text} — target ${formatInstant(new Date(schedule.target), zoneOf(config))}${schedule.train ? `, train ${schedule.train}` : ''}`);
  const [next] = config ? nextTrains(config, now, 1) : [];
  if (config && next) lines.push(`  Next train: ${describeDeparture(config, next, now)}`);
  return lines;
}

/** Status's `--json` additions: `schedule` (the release against its target, or null) and `nextTrain` (or null). */
export function scheduleJson(config: Config | null, release: ReleaseView, now: Date): { schedule: ReleaseSchedule | null; nextTrain: ReturnType<typeof departureJson> | null } {
  const [next] = config ? nextTrains(config, now, 1) : [];
  return { schedule: releaseSchedule(config, release, now), nextTrain: next ? departureJson(next) : null };
}
