import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import type { Context } from '../context.js';
import { calendarItems, parseBound, type CalendarItem } from '../core/calendar-items.js';
import { configSchema } from '../core/config/schema.js';
import { timestamp } from '../core/duration.js';
import { formatInstant } from '../core/gates/calendar.js';
import { releaseTarget } from '../core/schedule.js';
import { projectName } from '../engine/project.js';
import { prepare, type GlobalOptions } from '../engine/prepare.js';
import { openSession } from '../engine/session.js';
import { UsageError } from '../errors.js';
import { foreignProdId, isICalendar, renderIcs } from '../ui/ics.js';
import { printJson } from '../ui/output.js';

export interface CalendarOptions extends GlobalOptions {
  from?: string;
  to?: string;
  ics?: string;
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const BOUND_FORMATS = 'YYYY-MM-DD, YYYY-MM-DDTHH:MM (in calendars.timezone) or an RFC 3339 instant';

/** `Tue 8 Dec 2026 10:00 Europe/Berlin (04:00 America/New_York)`: the calendar's zone, and the viewer's when it differs. */
function both(instant: Date, zone: string, viewer: string): string {
  const local = DateTime.fromJSDate(instant, { zone }).setLocale('en-GB');
  const text = `${local.toFormat('ccc d LLL yyyy HH:mm')} ${zone}`;
  if (viewer === zone) return text;
  const theirs = DateTime.fromJSDate(instant, { zone: viewer }).setLocale('en-GB');
  const sameDay = theirs.toFormat('yyyy-LL-dd') === local.toFormat('yyyy-LL-dd');
  return `${text} (${theirs.toFormat(sameDay ? 'HH:mm' : 'ccc d LLL HH:mm')} ${viewer})`;
}

const line = (item: CalendarItem, viewer: string): string => `${both(item.start, item.zone, viewer)}  ${item.summary}${item.end ? `, until ${both(item.end, item.zone, viewer)}` : ''}`;

const itemJson = (item: CalendarItem) => ({ kind: item.kind, name: item.name, summary: item.summary, start: timestamp(item.start), end: item.end ? timestamp(item.end) : null, timezone: item.zone, uid: item.uid });

/** The range: --from (default now) to --to (default four weeks later), at most 366 days. */
function range(options: CalendarOptions, zone: string, now: Date): { from: Date; to: Date } {
  const bound = (text: string | undefined, side: 'from' | 'to', fallback: Date): Date => {
    if (text === undefined) return fallback;
    const parsed = parseBound(text, zone, side);
    if (parsed === null) throw new UsageError('E_USAGE', `--${side} "${text}" is not a date: use ${BOUND_FORMATS}`, { hint: 'relmgr calendar --from 2026-12-01 --to 2026-12-31' });
    return parsed;
  };
  const from = bound(options.from, 'from', now);
  const to = bound(options.to, 'to', new Date(from.getTime() + 28 * DAY_MS));
  const day = (d: Date): string => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-LL-dd');
  // What the user typed, and the instant it stands for (a day given to --to runs to the end of that day).
  const given = (text: string | undefined, side: 'from' | 'to', instant: Date): string =>
    text === undefined ? `${side === 'from' ? 'now' : 'the default --to'} (${formatInstant(instant, zone)})` : `--${side} ${text} (${side === 'to' ? 'until ' : ''}${formatInstant(instant, zone)})`;
  if (to <= from) throw new UsageError('E_USAGE', `${given(options.to, 'to', to)} is not after ${given(options.from, 'from', from)}: the range is empty`, { hint: `relmgr calendar --from ${day(from)} --to ${day(new Date(from.getTime() + 28 * DAY_MS))}` });
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) {
    throw new UsageError('E_USAGE', `the range ${options.from ?? day(from)} → ${options.to ?? day(to)} is longer than ${MAX_DAYS} days`, { hint: `relmgr calendar --from ${day(from)} --to ${day(new Date(from.getTime() + 365 * DAY_MS))}` });
  }
  return { from, to };
}

/** `relmgr calendar`: what is scheduled in a range, as text, JSON, or an iCalendar file. */
export async function run(ctx: Context, options: CalendarOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const config = prepared.loaded.config ?? configSchema.parse({});
  const zone = config.calendars.timezone;
  const now = ctx.wallClock.now();
  const { from, to } = range(options, zone, now);
  const session = await openSession(ctx, prepared, { write: false });
  const targets = session.state.releases
    .filter((r) => r.state !== 'closed' && r.state !== 'abandoned')
    .flatMap((r) => {
      const t = releaseTarget(r);
      return t ? [{ version: r.version, ...t }] : [];
    });
  const project = await projectName(ctx.fs, prepared.info.root, prepared.settings.project);
  const items = calendarItems(config, targets, from, to, project);
  const viewer = ctx.viewerZone();
  if (options.ics !== undefined) {
    const path = resolve(prepared.cwd, options.ics);
    const existing = await ctx.fs.readText(path);
    const hint = `name a new file: relmgr calendar --ics ${project.replace(/[^A-Za-z0-9.-]+/g, '-')}-releases.ics`;
    if (existing !== undefined && !isICalendar(existing)) throw new UsageError('E_NOT_OURS', `${options.ics} exists and is not an iCalendar file: relmgr does not overwrite it`, { hint });
    // Another application's calendar (an export from Google Calendar, Outlook): never replaced.
    const foreign = existing === undefined ? null : foreignProdId(existing);
    if (foreign !== null) throw new UsageError('E_NOT_OURS', `${options.ics} exists and is an iCalendar file relmgr did not write (PRODID:${foreign}): relmgr does not overwrite it`, { hint });
    await ctx.fs.writeTextAtomic(path, renderIcs(items, { project, now }));
    ctx.stderr.write(`wrote ${items.length} event${items.length === 1 ? '' : 's'} to ${options.ics} (${both(from, zone, zone)} → ${both(to, zone, zone)}): import it in Google Calendar or Outlook\n`);
  }
  if (options.json) {
    printJson(ctx.stdout, { from: timestamp(from), to: timestamp(to), timezone: zone, viewerTimezone: viewer, items: items.map(itemJson), ...(options.ics === undefined ? {} : { ics: options.ics }) });
    return 0;
  }
  if (options.ics !== undefined) return 0;
  const heading = `${project}: ${both(from, zone, viewer)} → ${both(to, zone, viewer)}`;
  const body = items.length === 0 ? ['Nothing scheduled in this range: no trains, targets, freezes or deployment windows.'] : items.map((item) => line(item, viewer));
  ctx.stdout.write(`${[heading, '', ...body].join('\n')}\n`);
  return 0;
}
