import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/core/config/schema.js';
import { codeFreezeEnd, codeFreezesAt, codeFreezeStart, dueness, humanSpan, nextOpenDeparture, nextTrains, parseTarget, skippedWallTime, trainOfCodeFreeze, trainsBetween } from '../../src/core/schedule.js';

const config = (timezone: string, trains: Record<string, { cron: string; code_freeze?: string }>): Config => configSchema.parse({ calendars: { timezone }, schedule: { trains } });
const iso = (d: Date | null | undefined): string | null => d?.toISOString() ?? null;

describe('parseTarget', () => {
  it.each([
    ['a day: 23:59 that day, Berlin winter', '2026-12-15', 'Europe/Berlin', '2026-12-15T22:59:00.000Z'],
    ['a day: 23:59 that day, Berlin summer', '2026-07-15', 'Europe/Berlin', '2026-07-15T21:59:00.000Z'],
    ['a day in UTC', '2026-12-15', 'UTC', '2026-12-15T23:59:00.000Z'],
    ['a local time', '2026-12-15T17:00', 'Europe/Berlin', '2026-12-15T16:00:00.000Z'],
    ['a local time in New York, daylight time', '2026-10-30T17:00', 'America/New_York', '2026-10-30T21:00:00.000Z'],
    ['a local time in New York, standard time', '2026-11-02T17:00', 'America/New_York', '2026-11-02T22:00:00.000Z'],
    ['an instant in UTC', '2026-12-15T16:00:00Z', 'Europe/Berlin', '2026-12-15T16:00:00.000Z'],
    ['an instant with an offset', '2026-12-15T17:00:00+01:00', 'America/New_York', '2026-12-15T16:00:00.000Z'],
    ['an instant without seconds', '2026-12-15T16:00Z', 'UTC', '2026-12-15T16:00:00.000Z'],
  ])('%s: %s', (_name, text, zone, expected) => {
    expect(iso(parseTarget(text, zone))).toBe(expected);
  });

  it.each(['tomorrow', '2026-02-30', '2026-12-15 17:00', '15.12.2026', '2026-13-01', '2026-12-15T25:00', ''])('%j is not a target', (text) => {
    expect(parseTarget(text, 'Europe/Berlin')).toBeNull();
  });
});

describe('nextTrains', () => {
  const weekly = { cron: '0 10 * * TUE', code_freeze: '2d' };

  it('the next departure of a weekly train, with its code freeze, in the calendar zone', () => {
    const [next] = nextTrains(config('Europe/Berlin', { weekly }), new Date('2026-12-02T00:00:00Z'), 1);
    expect(next).toEqual({ train: 'weekly', departs: new Date('2026-12-08T09:00:00Z'), codeFreezeFrom: new Date('2026-12-06T09:00:00Z') });
  });

  it.each([
    // EU autumn change (Sun 25 Oct 2026): Tuesday 10:00 is 08:00 UTC before, 09:00 UTC after; a 2d freeze starts Sunday 10:00 local.
    ['Europe/Berlin', '2026-10-14T00:00:00Z', ['2026-10-20T08:00:00.000Z', '2026-10-27T09:00:00.000Z'], ['2026-10-18T08:00:00.000Z', '2026-10-25T09:00:00.000Z']],
    // EU spring change (Sun 28 Mar 2027).
    ['Europe/Berlin', '2027-03-17T00:00:00Z', ['2027-03-23T09:00:00.000Z', '2027-03-30T08:00:00.000Z'], ['2027-03-21T09:00:00.000Z', '2027-03-28T08:00:00.000Z']],
    // US autumn change (Sun 1 Nov 2026) and spring change (Sun 14 Mar 2027).
    ['America/New_York', '2026-10-21T00:00:00Z', ['2026-10-27T14:00:00.000Z', '2026-11-03T15:00:00.000Z'], ['2026-10-25T14:00:00.000Z', '2026-11-01T15:00:00.000Z']],
    ['America/New_York', '2027-03-03T00:00:00Z', ['2027-03-09T15:00:00.000Z', '2027-03-16T14:00:00.000Z'], ['2027-03-07T15:00:00.000Z', '2027-03-14T14:00:00.000Z']],
  ])('%s from %s: departures and code freezes follow the wall clock across a DST change', (zone, now, departs, freezes) => {
    const trains = nextTrains(config(zone, { weekly }), new Date(now), 2);
    expect(trains.map((t) => t.departs.toISOString())).toEqual(departs);
    expect(trains.map((t) => iso(t.codeFreezeFrom))).toEqual(freezes);
  });

  it('the soonest of several trains first; a train without a code freeze has none', () => {
    const trains = nextTrains(config('UTC', { weekly, monthly: { cron: '0 9 1 * *' } }), new Date('2026-11-25T00:00:00Z'), 3);
    expect(trains.map((t) => [t.train, t.departs.toISOString(), iso(t.codeFreezeFrom)])).toEqual([
      ['monthly', '2026-12-01T09:00:00.000Z', null],
      ['weekly', '2026-12-01T10:00:00.000Z', '2026-11-29T10:00:00.000Z'],
      ['weekly', '2026-12-08T10:00:00.000Z', '2026-12-06T10:00:00.000Z'],
    ]);
  });

  it('no trains, no departures; trainsBetween takes a departure at its start and not at its end', () => {
    expect(nextTrains(config('UTC', {}), new Date('2026-11-25T00:00:00Z'), 3)).toEqual([]);
    const between = trainsBetween(config('UTC', { weekly }), new Date('2026-12-01T10:00:00Z'), new Date('2026-12-15T10:00:00Z'));
    expect(between.map((t) => t.departs.toISOString())).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-08T10:00:00.000Z']);
  });
});

describe('nextOpenDeparture: the soonest train whose code freeze has not begun', () => {
  const weekly = { cron: '0 10 * * TUE', code_freeze: '2d' };
  const open = (trains: Record<string, { cron: string; code_freeze?: string }>, now: string): [string | null, string[]] => {
    const next = nextOpenDeparture(config('UTC', trains), new Date(now));
    return [next ? `${next.departure.train} ${next.departure.departs.toISOString()}` : null, (next?.frozen ?? []).map((d) => `${d.train} ${d.departs.toISOString()}`)];
  };

  it.each([
    ['Saturday, before the freeze: the coming Tuesday', { weekly }, '2026-11-28T12:00:00Z', 'weekly 2026-12-01T10:00:00.000Z', []],
    ['Sunday 09:59, a minute before the freeze', { weekly }, '2026-11-29T09:59:00Z', 'weekly 2026-12-01T10:00:00.000Z', []],
    ['Sunday 10:00, as the freeze begins: the Tuesday after', { weekly }, '2026-11-29T10:00:00Z', 'weekly 2026-12-08T10:00:00.000Z', ['weekly 2026-12-01T10:00:00.000Z']],
    ['Monday, in the freeze: the Tuesday after', { weekly }, '2026-11-30T09:00:00Z', 'weekly 2026-12-08T10:00:00.000Z', ['weekly 2026-12-01T10:00:00.000Z']],
    ['Monday, with a train without a code freeze sooner than next week', { weekly, monthly: { cron: '0 9 1 * *' } }, '2026-11-30T09:00:00Z', 'monthly 2026-12-01T09:00:00.000Z', []],
    ['Monday, another train with an open freeze leaving first', { weekly, thu: { cron: '0 10 * * THU', code_freeze: '1d' } }, '2026-11-30T09:00:00Z', 'thu 2026-12-03T10:00:00.000Z', ['weekly 2026-12-01T10:00:00.000Z']],
    ['a code freeze longer than the interval: a daily train frozen 2d skips two departures', { daily: { cron: '0 10 * * *', code_freeze: '2d' } }, '2026-11-30T09:00:00Z', 'daily 2026-12-02T10:00:00.000Z', ['daily 2026-11-30T10:00:00.000Z', 'daily 2026-12-01T10:00:00.000Z']],
    ['no trains', {}, '2026-11-30T09:00:00Z', null, []],
  ])('%s', (_name, trains, now, expected, frozen) => {
    expect(open(trains, now)).toEqual([expected, frozen]);
  });

  it('codeFreezesAt: the departures whose code freeze an instant falls in, its departure included', () => {
    const c = config('UTC', { weekly, monthly: { cron: '0 9 1 * *' } });
    expect(codeFreezesAt(c, new Date('2026-11-30T09:00:00Z')).map((d) => d.departs.toISOString())).toEqual(['2026-12-01T10:00:00.000Z']);
    expect(codeFreezesAt(c, new Date('2026-12-01T10:00:00Z')).map((d) => d.departs.toISOString())).toEqual(['2026-12-01T10:00:00.000Z']);
    expect(codeFreezesAt(c, new Date('2026-12-02T10:00:00Z'))).toEqual([]);
  });
});

describe('skippedWallTime: a local --target the clocks skip', () => {
  it.each([
    ['EU spring gap', '2027-03-28T02:30', 'Europe/Berlin', { given: '02:30', taken: '03:30' }],
    ['US spring gap', '2027-03-14T02:15', 'America/New_York', { given: '02:15', taken: '03:15' }],
    ['an ordinary time', '2027-03-28T03:30', 'Europe/Berlin', null],
    ['the autumn overlap exists (twice)', '2026-10-25T02:30', 'Europe/Berlin', null],
    ['a day', '2027-03-28', 'Europe/Berlin', null],
    ['an instant', '2027-03-28T02:30:00+01:00', 'Europe/Berlin', null],
  ])('%s: %s', (_name, text, zone, expected) => {
    expect(skippedWallTime(text, zone)).toEqual(expected);
  });
});

describe('code freezes', () => {
  const c = config('Europe/Berlin', { weekly: { cron: '0 10 * * TUE', code_freeze: '2d' }, nightly: { cron: '0 2 * * *' } });

  it('names: <train>-code-freeze for a train with a code freeze only', () => {
    expect(trainOfCodeFreeze(c, 'weekly-code-freeze')).toBe('weekly');
    expect(trainOfCodeFreeze(c, 'nightly-code-freeze')).toBeNull();
    expect(trainOfCodeFreeze(c, 'weekly')).toBeNull();
  });

  it.each([
    ['Sat 24 Oct, before the freeze', '2026-10-24T12:00:00Z', null],
    ['Sun 25 Oct 09:59 local (after the DST change), just before', '2026-10-25T08:59:00Z', null],
    ['Sun 25 Oct 10:00 local: frozen until Tue 10:00 local', '2026-10-25T09:00:00Z', '2026-10-27T09:00:00.000Z'],
    ['Tue 27 Oct 09:59 local', '2026-10-27T08:59:00Z', '2026-10-27T09:00:00.000Z'],
    ['Tue 27 Oct 10:00 local: the train has left', '2026-10-27T09:00:00Z', null],
  ])('%s', (_name, at, end) => {
    expect(iso(codeFreezeEnd(c, 'weekly-code-freeze', new Date(at)))).toBe(end);
  });

  it.each([
    ['2d', '2026-10-27T09:00:00Z', '2026-10-25T09:00:00.000Z'],
    ['36h', '2026-10-27T09:00:00Z', '2026-10-25T21:00:00.000Z'],
    ['1d12h', '2026-10-27T09:00:00Z', '2026-10-25T21:00:00.000Z'],
  ])('a %s code freeze before %s starts %s', (length, departs, start) => {
    expect(codeFreezeStart(new Date(departs), length, 'Europe/Berlin').toISOString()).toBe(start);
  });
});

describe('humanSpan and dueness', () => {
  const target = new Date('2026-12-15T16:00:00Z');
  it.each([
    ['5 days before', null, '2026-12-10T16:00:00Z', 'due', 'due in 5 days'],
    ['5 hours before', null, '2026-12-15T11:00:00Z', 'due', 'due in 5 hours'],
    ['20 minutes before', null, '2026-12-15T15:40:00Z', 'due', 'due in 20 minutes'],
    ['1 day 2 hours before', null, '2026-12-14T14:00:00Z', 'due', 'due in 1 day'],
    ['2 days after', null, '2026-12-17T16:00:00Z', 'overdue', 'overdue by 2 days'],
    ['3 seconds after', null, '2026-12-15T16:00:03Z', 'overdue', 'overdue by less than a minute'],
    ['deployed 3 seconds late', '2026-12-15T16:00:03Z', '2026-12-20T00:00:00Z', 'missed', 'missed its target by less than a minute'],
    ['deployed a day early', '2026-12-14T16:00:00Z', '2026-12-20T00:00:00Z', 'met', 'met its target (1 day early)'],
    ['deployed 5 hours late', '2026-12-15T21:00:00Z', '2026-12-20T00:00:00Z', 'missed', 'missed its target by 5 hours'],
    ['deployed on the minute', '2026-12-15T16:00:00Z', '2026-12-20T00:00:00Z', 'met', 'met its target'],
  ])('%s', (_name, deployed, now, state, text) => {
    expect(dueness(target, deployed ? new Date(deployed) : null, new Date(now), 'Europe/Berlin')).toMatchObject({ state, text });
  });

  it.each([
    // 23 hours of real time across the EU spring change are one calendar day; 25 across the autumn change too.
    ['Sat 27 Mar 2027 12:00 CET → Sun 12:00 CEST', '2027-03-27T11:00:00Z', '2027-03-28T10:00:00Z', 'Europe/Berlin', '1 day'],
    ['Sat 24 Oct 2026 12:00 CEST → Sun 12:00 CET', '2026-10-24T10:00:00Z', '2026-10-25T11:00:00Z', 'Europe/Berlin', '1 day'],
    ['the same 23 hours in UTC', '2027-03-27T11:00:00Z', '2027-03-28T10:00:00Z', 'UTC', '23 hours'],
    ['Sat → Tue across the US spring change', '2027-03-13T15:00:00Z', '2027-03-16T14:00:00Z', 'America/New_York', '3 days'],
    ['either order', '2026-12-17T16:00:00Z', '2026-12-15T16:00:00Z', 'UTC', '2 days'],
  ])('%s: %s', (_name, a, b, zone, text) => {
    expect(humanSpan(new Date(a), new Date(b), zone)).toBe(text);
  });
});

describe('humanSpan rounds to the nearest unit', () => {
  it.each([
    ['a millisecond short of a day', '2026-12-14T22:59:00.001Z', '2026-12-15T22:59:00Z', '1 day'],
    ['a few seconds short of an hour', '2026-12-15T21:59:03Z', '2026-12-15T22:59:00Z', '1 hour'],
    ['1 day 13 hours', '2026-12-14T09:59:00Z', '2026-12-15T22:59:00Z', '2 days'],
    ['nothing at all', '2026-12-15T22:59:00Z', '2026-12-15T22:59:00Z', 'less than a minute'],
    ['3 seconds', '2026-12-15T22:59:00Z', '2026-12-15T22:59:03Z', 'less than a minute'],
    ['40 seconds', '2026-12-15T22:59:00Z', '2026-12-15T22:59:40Z', '1 minute'],
  ])('%s', (_name, a, b, text) => {
    expect(humanSpan(new Date(a), new Date(b), 'Europe/Berlin')).toBe(text);
  });
});
