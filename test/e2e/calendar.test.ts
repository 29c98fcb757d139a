import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { relmgr, run, useProjects } from '../helpers/repo.js';

/* relmgr calendar: text in both zones, --json, and an .ics file parsed back with ical.js. */

const project = useProjects(afterEach, afterAll);
const at = (iso: string, env: Record<string, string> = {}): { context: Partial<Context>; env: Record<string, string> } => ({ context: { wallClock: { now: () => new Date(iso) } }, env });

const calendarConfig = (zone: string): string => `schema: relmgr/v1
calendars:
  timezone: ${zone}
  freezes:
    autumn: { from: "2026-10-24T12:00", to: "2026-10-26T12:00" }
    spring: { from: "2027-03-27T12:00", to: "2027-03-29T12:00" }
    weekend: { start: "0 16 * * FRI", end: "0 8 * * MON" }
  windows:
    office-hours: { days: [mon, tue, wed, thu], from: "09:00", to: "17:00" }
schedule:
  trains:
    weekly: { cron: "0 10 * * TUE", code_freeze: 2d }
`;
const BERLIN = calendarConfig('Europe/Berlin');
const NEW_YORK = calendarConfig('America/New_York');

interface Parsed {
  uid: string;
  summary: string;
  start: string;
  end: string;
  description: string;
}

/** The events of an .ics file as ical.js reads them, with the DTSTART/DTEND as written (UTC: …Z). */
function parseIcs(text: string): { prodId: string; events: Parsed[] } {
  // RFC 5545: every content line ends with CRLF, END:VCALENDAR too.
  expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const written = (name: string): string => String(component.getFirstProperty(name)?.toICALString() ?? '');
    expect(event.startDate.zone?.tzid).toBe('UTC');
    // RFC 5545: DTEND, when given, is later than DTSTART (an instant has none).
    if (component.hasProperty('dtend')) expect(event.endDate.compare(event.startDate)).toBe(1);
    return { uid: event.uid, summary: event.summary, start: written('dtstart'), end: written('dtend'), description: event.description };
  });
  expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
  return { prodId: String(calendar.getFirstPropertyValue('prodid')), events };
}

const events = (parsed: Parsed[], summary: string): string[][] => parsed.filter((e) => e.summary === summary).map((e) => [e.start, e.end]);

describe('relmgr calendar --ics', () => {
  it('Europe/Berlin across the autumn change (25 Oct 2026): freezes, a code freeze, trains, windows in UTC', async () => {
    const r = project(BERLIN);
    const out = await run(r, ['calendar', '--from', '2026-10-19', '--to', '2026-10-27', '--ics', 'releases.ics'], at('2026-10-01T00:00:00Z'));
    expect(out.code, out.stderr).toBe(0);
    const { prodId, events: parsed } = parseIcs(readFileSync(join(r.dir, 'releases.ics'), 'utf8'));
    expect(prodId).toContain('relmgr');
    expect(events(parsed, 'Freeze: autumn')).toEqual([['DTSTART:20261024T100000Z', 'DTEND:20261026T110000Z']]);
    expect(events(parsed, 'Freeze: weekend')).toEqual([
      ['DTSTART:20261016T140000Z', 'DTEND:20261019T060000Z'],
      ['DTSTART:20261023T140000Z', 'DTEND:20261026T070000Z'],
    ]);
    expect(events(parsed, 'Code freeze — weekly train')).toEqual([
      ['DTSTART:20261018T080000Z', 'DTEND:20261020T080000Z'],
      ['DTSTART:20261025T090000Z', 'DTEND:20261027T090000Z'],
    ]);
    expect(events(parsed, 'Release train: weekly')).toEqual([
      ['DTSTART:20261020T080000Z', ''],
      ['DTSTART:20261027T090000Z', ''],
    ]);
    expect(events(parsed, 'Deployment window: office-hours').slice(2, 5)).toEqual([
      ['DTSTART:20261021T070000Z', 'DTEND:20261021T150000Z'],
      ['DTSTART:20261022T070000Z', 'DTEND:20261022T150000Z'],
      ['DTSTART:20261026T080000Z', 'DTEND:20261026T160000Z'],
    ]);
    const freeze = parsed.find((e) => e.summary === 'Freeze: autumn');
    expect(freeze?.description).toBe('Freeze: autumn\nSat 24 Oct 2026 12:00 Europe/Berlin (10:00 UTC) until Mon 26 Oct 2026 12:00 Europe/Berlin (11:00 UTC)');
    expect(new Set(parsed.map((e) => e.uid)).size).toBe(parsed.length);
  });

  it('Europe/Berlin across the spring change (28 Mar 2027), and America/New_York across both of its changes', async () => {
    const berlin = project(BERLIN);
    await run(berlin, ['calendar', '--from', '2027-03-22', '--to', '2027-03-30', '--ics', 'spring.ics'], at('2027-03-01T00:00:00Z'));
    const spring = parseIcs(readFileSync(join(berlin.dir, 'spring.ics'), 'utf8')).events;
    expect(events(spring, 'Freeze: spring')).toEqual([['DTSTART:20270327T110000Z', 'DTEND:20270329T100000Z']]);
    expect(events(spring, 'Freeze: weekend')).toEqual([
      ['DTSTART:20270319T150000Z', 'DTEND:20270322T070000Z'],
      ['DTSTART:20270326T150000Z', 'DTEND:20270329T060000Z'],
    ]);
    expect(events(spring, 'Release train: weekly')).toEqual([
      ['DTSTART:20270323T090000Z', ''],
      ['DTSTART:20270330T080000Z', ''],
    ]);
    const ny = project(NEW_YORK);
    await run(ny, ['calendar', '--from', '2026-10-26', '--to', '2026-11-08', '--ics', 'autumn.ics'], at('2026-10-01T00:00:00Z'));
    expect(events(parseIcs(readFileSync(join(ny.dir, 'autumn.ics'), 'utf8')).events, 'Freeze: weekend')).toEqual([
      ['DTSTART:20261023T200000Z', 'DTEND:20261026T120000Z'],
      ['DTSTART:20261030T200000Z', 'DTEND:20261102T130000Z'],
      ['DTSTART:20261106T210000Z', 'DTEND:20261109T130000Z'],
    ]);
    await run(ny, ['calendar', '--from', '2027-03-08', '--to', '2027-03-16', '--ics', 'spring.ics'], at('2027-03-01T00:00:00Z'));
    const nySpring = parseIcs(readFileSync(join(ny.dir, 'spring.ics'), 'utf8')).events;
    expect(events(nySpring, 'Freeze: weekend')).toEqual([
      ['DTSTART:20270305T210000Z', 'DTEND:20270308T130000Z'],
      ['DTSTART:20270312T210000Z', 'DTEND:20270315T120000Z'],
    ]);
    expect(events(nySpring, 'Release train: weekly')).toEqual([
      ['DTSTART:20270309T150000Z', ''],
      ['DTSTART:20270316T140000Z', ''],
    ]);
  });

  it("an open release's target is an event; running again keeps every UID (an import updates)", async () => {
    const r = project(BERLIN);
    expect((await run(r, ['plan', '--target', '2026-12-15T17:00'], at('2026-12-01T00:00:00Z'))).code).toBe(0);
    await run(r, ['calendar', '--ics', 'a.ics'], at('2026-12-01T00:00:00Z'));
    const first = parseIcs(readFileSync(join(r.dir, 'a.ics'), 'utf8')).events;
    expect(events(first, 'Target: 1.0.1')).toEqual([['DTSTART:20261215T160000Z', '']]);
    expect(first.find((e) => e.summary === 'Target: 1.0.1')?.uid).toBe('target/1.0.1@demo.relmgr');
    // A day later, over the same file (an iCalendar file: replaced), from another start.
    const rerun = await run(r, ['calendar', '--ics', 'a.ics', '--from', '2026-12-03'], at('2026-12-02T00:00:00Z'));
    expect(rerun.code, rerun.stderr).toBe(0);
    const again = parseIcs(readFileSync(join(r.dir, 'a.ics'), 'utf8')).events;
    const uids = new Map(first.map((e) => [`${e.summary} ${e.start}`, e.uid]));
    const common = again.filter((e) => uids.has(`${e.summary} ${e.start}`));
    expect(common.length).toBeGreaterThan(10);
    for (const e of common) expect(e.uid).toBe(uids.get(`${e.summary} ${e.start}`));
  });

  it("never overwrites another application's iCalendar file (a Google Calendar export: E_NOT_OURS, exit 2)", async () => {
    const r = project(BERLIN);
    const google = 'BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261203T090000Z\r\nDTEND:20261203T100000Z\r\nUID:dentist@google.com\r\nSUMMARY:my dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    writeFileSync(join(r.dir, 'personal.ics'), google);
    const out = await run(r, ['calendar', '--ics', 'personal.ics'], at('2026-12-01T00:00:00Z'));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('error[E_NOT_OURS]: personal.ics exists and is an iCalendar file relmgr did not write (PRODID:-//Google Inc//Google Calendar 70.9054//EN): relmgr does not overwrite it');
    expect(out.stderr).toContain('hint: name a new file: relmgr calendar --ics demo-releases.ics');
    expect(readFileSync(join(r.dir, 'personal.ics'), 'utf8')).toBe(google);
  });

  it("the file is the same whoever writes it: the calendar's zone and UTC, never the writer's zone", async () => {
    const r = project(BERLIN);
    const args = ['calendar', '--from', '2026-12-07', '--to', '2026-12-09', '--ics'];
    expect((await run(r, [...args, 'ny.ics'], at('2026-12-01T00:00:00Z', { TZ: 'America/New_York' }))).code).toBe(0);
    expect((await run(r, [...args, 'tokyo.ics'], at('2026-12-01T00:00:00Z', { TZ: 'Asia/Tokyo' }))).code).toBe(0);
    const ny = readFileSync(join(r.dir, 'ny.ics'), 'utf8');
    expect(readFileSync(join(r.dir, 'tokyo.ics'), 'utf8')).toBe(ny);
    expect(ny).not.toMatch(/New_York|Your time/);
    const train = parseIcs(ny).events.find((e) => e.summary === 'Release train: weekly');
    expect(train).toMatchObject({ start: 'DTSTART:20261208T090000Z', end: '' });
    expect(train?.description).toContain('Tue 8 Dec 2026 10:00 Europe/Berlin (09:00 UTC)');
  });

  it('never overwrites a file that is not an iCalendar file (E_NOT_OURS, exit 2)', async () => {
    const r = project(BERLIN);
    writeFileSync(join(r.dir, 'notes.txt'), 'my notes\n');
    const out = await run(r, ['calendar', '--ics', 'notes.txt'], at('2026-12-01T00:00:00Z'));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('error[E_NOT_OURS]: notes.txt exists and is not an iCalendar file: relmgr does not overwrite it');
    expect(out.stderr).toContain('hint: name a new file: relmgr calendar --ics demo-releases.ics');
    expect(readFileSync(join(r.dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
  });

  it('the binary writes the file (atomically: no temporary file is left) and says where', () => {
    const r = project(BERLIN);
    const out = relmgr(r, ['calendar', '--from', '2026-10-19', '--to', '2026-10-27', '--ics', 'out/releases.ics']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^wrote \d+ events to out\/releases\.ics \(Mon 19 Oct 2026 00:00 Europe\/Berlin → Wed 28 Oct 2026 00:00 Europe\/Berlin\): import it in Google Calendar or Outlook\n$/);
    const parsed = parseIcs(readFileSync(join(r.dir, 'out/releases.ics'), 'utf8')).events;
    expect(events(parsed, 'Freeze: autumn')).toEqual([['DTSTART:20261024T100000Z', 'DTEND:20261026T110000Z']]);
    expect(readdirSync(join(r.dir, 'out'))).toEqual(['releases.ics']);
    expect(readFileSync(join(r.dir, 'out/releases.ics'), 'utf8')).toMatch(/^BEGIN:VCALENDAR\r\n/);
  });
});

describe('relmgr calendar (text and --json)', () => {
  it("one line per item by start, in the calendar's zone and the viewer's (TZ)", async () => {
    const r = project(BERLIN);
    const out = await run(r, ['calendar', '--from', '2026-12-07', '--to', '2026-12-08'], at('2026-12-01T00:00:00Z', { TZ: 'America/New_York' }));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(
      [
        'demo: Mon 7 Dec 2026 00:00 Europe/Berlin (Sun 6 Dec 18:00 America/New_York) → Wed 9 Dec 2026 00:00 Europe/Berlin (Tue 8 Dec 18:00 America/New_York)',
        '',
        'Fri 4 Dec 2026 16:00 Europe/Berlin (10:00 America/New_York)  Freeze: weekend, until Mon 7 Dec 2026 08:00 Europe/Berlin (02:00 America/New_York)',
        'Sun 6 Dec 2026 10:00 Europe/Berlin (04:00 America/New_York)  Code freeze — weekly train, until Tue 8 Dec 2026 10:00 Europe/Berlin (04:00 America/New_York)',
        'Mon 7 Dec 2026 09:00 Europe/Berlin (03:00 America/New_York)  Deployment window: office-hours, until Mon 7 Dec 2026 17:00 Europe/Berlin (11:00 America/New_York)',
        'Tue 8 Dec 2026 09:00 Europe/Berlin (03:00 America/New_York)  Deployment window: office-hours, until Tue 8 Dec 2026 17:00 Europe/Berlin (11:00 America/New_York)',
        'Tue 8 Dec 2026 10:00 Europe/Berlin (04:00 America/New_York)  Release train: weekly',
        '',
      ].join('\n'),
    );
  });

  it('--json: the items with UTC instants; the default range is four weeks from now', async () => {
    const r = project(BERLIN);
    const json = JSON.parse((await run(r, ['calendar', '--json'], at('2026-12-01T12:00:00Z'))).stdout) as { from: string; to: string; timezone: string; items: Array<Record<string, unknown>> };
    expect([json.from, json.to, json.timezone]).toEqual(['2026-12-01T12:00:00Z', '2026-12-29T12:00:00Z', 'Europe/Berlin']);
    expect(json.items.filter((i) => i.kind === 'train').map((i) => i.start)).toEqual(['2026-12-08T09:00:00Z', '2026-12-15T09:00:00Z', '2026-12-22T09:00:00Z', '2026-12-29T09:00:00Z']);
    expect(json.items.find((i) => i.kind === 'code-freeze')).toEqual({
      kind: 'code-freeze',
      name: 'weekly-code-freeze',
      summary: 'Code freeze — weekly train',
      start: '2026-12-06T09:00:00Z',
      end: '2026-12-08T09:00:00Z',
      timezone: 'Europe/Berlin',
      uid: 'code-freeze/weekly/2026-12-08T09:00:00Z@demo.relmgr',
    });
  });

  it('an empty range says so; a bad or too long range is E_USAGE (exit 2)', async () => {
    const r = project('schema: relmgr/v1\n');
    const empty = await run(r, ['calendar'], at('2026-12-01T12:00:00Z'));
    expect(empty.stdout).toContain('\nNothing scheduled in this range: no trains, targets, freezes or deployment windows.\n');
    expect(JSON.parse((await run(r, ['calendar', '--json'], at('2026-12-01T12:00:00Z'))).stdout)).toMatchObject({ items: [] });
    for (const [args, message] of [
      [['--from', '2026-12-01', '--to', '2028-01-01'], 'the range 2026-12-01 → 2028-01-01 is longer than 366 days'],
      [['--from', 'soon'], '--from "soon" is not a date: use YYYY-MM-DD, YYYY-MM-DDTHH:MM (in calendars.timezone) or an RFC 3339 instant'],
      [['--from', '2026-12-10', '--to', '2026-12-01'], '--to 2026-12-01 (until Wed 2 Dec 2026 00:00 UTC) is not after --from 2026-12-10 (Thu 10 Dec 2026 00:00 UTC): the range is empty'],
      [['--from', '2027-01-05', '--to', '2027-01-01'], '--to 2027-01-01 (until Sat 2 Jan 2027 00:00 UTC) is not after --from 2027-01-05 (Tue 5 Jan 2027 00:00 UTC): the range is empty'],
      [['--to', '2026-11-20'], '--to 2026-11-20 (until Sat 21 Nov 2026 00:00 UTC) is not after now (Tue 1 Dec 2026 12:00 UTC): the range is empty'],
    ] as const) {
      const out = await run(r, ['calendar', ...args], at('2026-12-01T12:00:00Z'));
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(`error[E_USAGE]: ${message}`);
    }
  });
});
