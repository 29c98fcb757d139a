import { describe, expect, it } from 'vitest';
import { calendarItems, parseBound, type CalendarKind } from '../../src/core/calendar-items.js';
import { configSchema, type Config } from '../../src/core/config/schema.js';

const config = (timezone: string, extra: Record<string, unknown> = {}): Config =>
  configSchema.parse({
    calendars: {
      timezone,
      freezes: {
        'year-end': { from: '2026-12-18T00:00', to: '2027-01-04T00:00' },
        autumn: { from: '2026-10-24T12:00', to: '2026-10-26T12:00' },
        spring: { from: '2027-03-27T12:00', to: '2027-03-29T12:00' },
        weekend: { start: '0 16 * * FRI', end: '0 8 * * MON' },
      },
      windows: { 'office-hours': { days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '17:00' } },
    },
    schedule: { trains: { weekly: { cron: '0 10 * * TUE', code_freeze: '2d' } } },
    ...extra,
  });

const items = (c: Config, from: string, to: string, kind: CalendarKind, name?: string) =>
  calendarItems(c, [], new Date(from), new Date(to), 'demo')
    .filter((i) => i.kind === kind && (name === undefined || i.name === name))
    .map((i) => [i.start.toISOString().slice(0, 16), i.end?.toISOString().slice(0, 16) ?? null]);

describe('calendar items across daylight-saving changes', () => {
  it.each([
    // Europe/Berlin, autumn (Sun 25 Oct 2026): 16:00 and 08:00 local are 14:00/06:00 UTC before, 15:00/07:00 after.
    ['Europe/Berlin', '2026-10-18T22:00:00Z', '2026-11-01T23:00:00Z', 'freeze', 'weekend', [['2026-10-16T14:00', '2026-10-19T06:00'], ['2026-10-23T14:00', '2026-10-26T07:00'], ['2026-10-30T15:00', '2026-11-02T07:00']]],
    ['Europe/Berlin', '2026-10-18T22:00:00Z', '2026-11-01T23:00:00Z', 'freeze', 'autumn', [['2026-10-24T10:00', '2026-10-26T11:00']]],
    ['Europe/Berlin', '2026-10-18T22:00:00Z', '2026-11-01T23:00:00Z', 'train', 'weekly', [['2026-10-20T08:00', null], ['2026-10-27T09:00', null]]],
    ['Europe/Berlin', '2026-10-18T22:00:00Z', '2026-11-01T23:00:00Z', 'code-freeze', undefined, [['2026-10-18T08:00', '2026-10-20T08:00'], ['2026-10-25T09:00', '2026-10-27T09:00'], ['2026-11-01T09:00', '2026-11-03T09:00']]],
    // Europe/Berlin, spring (Sun 28 Mar 2027).
    ['Europe/Berlin', '2027-03-21T23:00:00Z', '2027-04-04T22:00:00Z', 'freeze', 'weekend', [['2027-03-19T15:00', '2027-03-22T07:00'], ['2027-03-26T15:00', '2027-03-29T06:00'], ['2027-04-02T14:00', '2027-04-05T06:00']]],
    ['Europe/Berlin', '2027-03-21T23:00:00Z', '2027-04-04T22:00:00Z', 'freeze', 'spring', [['2027-03-27T11:00', '2027-03-29T10:00']]],
    ['Europe/Berlin', '2027-03-21T23:00:00Z', '2027-04-04T22:00:00Z', 'train', 'weekly', [['2027-03-23T09:00', null], ['2027-03-30T08:00', null]]],
    // America/New_York, autumn (Sun 1 Nov 2026) and spring (Sun 14 Mar 2027).
    ['America/New_York', '2026-10-26T04:00:00Z', '2026-11-09T05:00:00Z', 'freeze', 'weekend', [['2026-10-23T20:00', '2026-10-26T12:00'], ['2026-10-30T20:00', '2026-11-02T13:00'], ['2026-11-06T21:00', '2026-11-09T13:00']]],
    ['America/New_York', '2027-03-08T05:00:00Z', '2027-03-22T04:00:00Z', 'freeze', 'weekend', [['2027-03-05T21:00', '2027-03-08T13:00'], ['2027-03-12T21:00', '2027-03-15T12:00'], ['2027-03-19T20:00', '2027-03-22T12:00']]],
    ['America/New_York', '2027-03-08T05:00:00Z', '2027-03-22T04:00:00Z', 'train', 'weekly', [['2027-03-09T15:00', null], ['2027-03-16T14:00', null]]],
  ])('%s %s → %s: %s %s', (zone, from, to, kind, name, expected) => {
    expect(items(config(zone), from, to, kind as CalendarKind, name)).toEqual(expected);
  });

  it('deployment windows: each opening, on its days, in its zone (an overnight window past midnight)', () => {
    const c = config('Europe/Berlin', {});
    expect(items(c, '2026-10-22T00:00:00Z', '2026-10-27T00:00:00Z', 'window')).toEqual([
      ['2026-10-22T07:00', '2026-10-22T15:00'],
      ['2026-10-26T08:00', '2026-10-26T16:00'],
    ]);
    const night = configSchema.parse({ calendars: { timezone: 'Europe/Berlin', windows: { night: { days: ['sat'], from: '22:00', to: '02:00', timezone: 'America/New_York' } } } });
    const [one] = calendarItems(night, [], new Date('2026-10-31T00:00:00Z'), new Date('2026-11-02T00:00:00Z'), 'demo');
    // Sat 31 Oct 22:00 EDT (02:00 UTC) until Sun 1 Nov 02:00 EST (07:00 UTC): the US autumn change falls inside it (5 hours).
    expect([one?.start.toISOString(), one?.end?.toISOString(), one?.zone]).toEqual(['2026-11-01T02:00:00.000Z', '2026-11-01T07:00:00.000Z', 'America/New_York']);
  });

  it('a one-off freeze that began before the range is in it; one that ended at its start is not', () => {
    const c = config('Europe/Berlin');
    expect(items(c, '2027-01-01T00:00:00Z', '2027-01-02T00:00:00Z', 'freeze', 'year-end')).toEqual([['2026-12-17T23:00', '2027-01-03T23:00']]);
    expect(items(c, '2027-01-03T23:00:00Z', '2027-01-05T00:00:00Z', 'freeze', 'year-end')).toEqual([]);
  });

  it('targets in the range, ordered with the rest by start; UIDs are stable across ranges', () => {
    const c = config('UTC');
    const targets = [
      { version: '1.4.0', target: new Date('2026-12-15T16:00:00Z'), train: null },
      { version: '1.5.0', target: new Date('2027-02-01T10:00:00Z'), train: 'weekly' },
    ];
    const a = calendarItems(c, targets, new Date('2026-12-14T00:00:00Z'), new Date('2026-12-16T00:00:00Z'), 'my demo');
    expect(a.map((i) => [i.kind, i.summary, i.uid])).toEqual([
      ['freeze', 'Freeze: weekend', 'freeze/weekend/2026-12-11T16:00:00Z@my-demo.relmgr'],
      ['code-freeze', 'Code freeze — weekly train', 'code-freeze/weekly/2026-12-15T10:00:00Z@my-demo.relmgr'],
      ['window', 'Deployment window: office-hours', 'window/office-hours/2026-12-14T09:00:00Z@my-demo.relmgr'],
      ['window', 'Deployment window: office-hours', 'window/office-hours/2026-12-15T09:00:00Z@my-demo.relmgr'],
      ['train', 'Release train: weekly', 'train/weekly/2026-12-15T10:00:00Z@my-demo.relmgr'],
      ['target', 'Target: 1.4.0', 'target/1.4.0@my-demo.relmgr'],
    ]);
    const b = calendarItems(c, targets, new Date('2026-12-01T00:00:00Z'), new Date('2027-03-01T00:00:00Z'), 'my demo');
    for (const item of a) expect(b.filter((i) => i.uid === item.uid)).toHaveLength(1);
    expect(b.find((i) => i.kind === 'target' && i.name === '1.5.0')?.summary).toBe('Target: 1.5.0 (weekly train)');
  });
});

describe('parseBound', () => {
  it.each([
    ['2026-12-01', 'from', '2026-11-30T23:00:00.000Z'],
    ['2026-12-01', 'to', '2026-12-01T23:00:00.000Z'],
    ['2027-03-28', 'to', '2027-03-28T22:00:00.000Z'],
    ['2026-12-01T08:00', 'from', '2026-12-01T07:00:00.000Z'],
    ['2026-12-01T08:00:00Z', 'to', '2026-12-01T08:00:00.000Z'],
  ] as const)('%s as --%s', (text, side, expected) => {
    expect(parseBound(text, 'Europe/Berlin', side)?.toISOString()).toBe(expected);
  });
  it.each(['next week', '2026-02-30', '01/12/2026'])('%j is not a bound', (text) => {
    expect(parseBound(text, 'Europe/Berlin', 'from')).toBeNull();
  });
});
