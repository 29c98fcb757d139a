import { describe, expect, it } from 'vitest';
import { failureRateLevel, frequencyLevel, humanDuration, leadTimeLevel, restoreLevel } from '../../src/core/report/levels.js';
import { isoWeek, parseBound, parseVersionRange, resolvePeriod, weekIndex, weekStarts, weeksOf } from '../../src/core/report/period.js';
import { distribution, median, percentile } from '../../src/core/report/stats.js';
import { RelmgrError } from '../../src/errors.js';

const usage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RelmgrError);
    expect((error as RelmgrError).code).toBe('E_USAGE');
    return (error as Error).message;
  }
  throw new Error('no usage error');
};

describe('median and p90 (nearest rank)', () => {
  it.each([
    [[], null, null],
    [[5], 5, 5],
    [[3, 1, 2], 2, 3],
    // even count: the mean of the two middle values
    [[4, 1, 3, 2], 2.5, 4],
    [[10, 20], 15, 20],
    // p90 of 10 values: the 9th smallest (⌈0.9·10⌉ = 9)
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    // p90 of 11 values: the 10th smallest (⌈9.9⌉ = 10)
    [[11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 6, 10],
    // p90 of 20: the 18th
    [Array.from({ length: 20 }, (_, i) => i + 1), 10.5, 18],
  ])('%j → median %s, p90 %s', (values, med, p90) => {
    expect(median(values)).toBe(med);
    expect(percentile(values, 90)).toBe(p90);
    expect(distribution(values)).toEqual({ median: med, p90, count: values.length });
  });
});

describe('period bounds', () => {
  it.each([
    ['--from', '2026-03-01', 'Europe/Berlin', '2026-02-28T23:00:00.000Z'],
    // --to takes the whole day: up to the next day's start
    ['--to', '2026-03-01', 'Europe/Berlin', '2026-03-01T23:00:00.000Z'],
    // the day DST starts in Berlin has 23 hours: its end is 22:00 UTC
    ['--to', '2026-03-29', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'],
    ['--from', '2026-07-01', 'America/New_York', '2026-07-01T04:00:00.000Z'],
    ['--from', '2026-03-01T09:30:00Z', 'Europe/Berlin', '2026-03-01T09:30:00.000Z'],
    ['--to', '2026-03-01T09:30:00+02:00', 'UTC', '2026-03-01T07:30:00.000Z'],
  ] as const)('%s %s in %s is %s', (flag, text, zone, expected) => {
    expect(parseBound(flag, text, zone).toISOString()).toBe(expected);
  });

  it.each(['yesterday', '2026-13-01', '2026-02-30', '2026-03-01T09:30', '1 March', ''])('%j is a usage error naming the flag and the format', (text) => {
    expect(usage(() => parseBound('--from', text, 'UTC'))).toMatch(/^--from .* is not a date: use YYYY-MM-DD \(a day in calendars.timezone\) or an RFC 3339 instant/);
  });

  const now = new Date('2026-11-30T12:00:00Z');
  it.each([
    [{}, '2026-09-01T12:00:00.000Z', '2026-11-30T12:00:00.000Z'],
    [{ from: '2026-11-01' }, '2026-11-01T00:00:00.000Z', '2026-11-30T12:00:00.000Z'],
    [{ to: '2026-10-31' }, '2026-08-03T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
    [{ from: '2026-10-01', to: '2026-10-31' }, '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
  ])('%j → [%s, %s)', (options, from, to) => {
    const period = resolvePeriod(options, 'UTC', now);
    expect([period.from.toISOString(), period.to.toISOString()]).toEqual([from, to]);
  });

  it('--from after --to (or after now, alone) is a usage error', () => {
    expect(usage(() => resolvePeriod({ from: '2026-10-02', to: '2026-10-01' }, 'UTC', now))).toMatch(/--from 2026-10-02 is not before --to 2026-10-01/);
    expect(usage(() => resolvePeriod({ from: '2027-01-01' }, 'UTC', now))).toMatch(/--from 2027-01-01 is not before now/);
  });
});

describe('version ranges', () => {
  it.each([
    ['1.2.0..1.5.0', { from: '1.2.0', to: '1.5.0' }],
    ['v1.2.0..v1.5.0', { from: '1.2.0', to: '1.5.0' }],
    ['1.2.0..1.2.0', { from: '1.2.0', to: '1.2.0' }],
    ['1.0.0-rc.1..1.0.0', { from: '1.0.0-rc.1', to: '1.0.0' }],
  ])('%s', (text, expected) => expect(parseVersionRange(text)).toEqual(expected));

  it.each(['1.2.0', '1.2.0...1.5.0', '1.2..1.5', 'a..b', '1.2.0..', '..1.5.0', '1.2.0..1.3.0..1.4.0'])('%j is malformed', (text) => {
    expect(usage(() => parseVersionRange(text))).toMatch(/--versions .* is not a version range: use <a>\.\.<b>/);
  });

  it('a reversed range says which way it runs', () => {
    expect(usage(() => parseVersionRange('1.5.0..1.2.0'))).toMatch(/1.5.0 comes after 1.2.0/);
  });
});

describe('ISO weeks in the calendar zone, across a DST change', () => {
  it.each([
    // Berlin moves to CEST on Sunday 29 March 2026: Monday 30 March 00:00 local is 22:00 UTC on Sunday
    ['2026-03-29T21:59:59.000Z', '2026-W13'],
    ['2026-03-29T22:00:00.000Z', '2026-W14'],
    // back to CET on Sunday 25 October: Monday 26 October 00:00 local is 23:00 UTC
    ['2026-10-25T22:59:59.000Z', '2026-W43'],
    ['2026-10-25T23:00:00.000Z', '2026-W44'],
    // ISO week-year: 1 January 2027 (a Friday) is in 2026-W53
    ['2027-01-01T12:00:00.000Z', '2026-W53'],
  ])('%s is in %s', (at, week) => expect(isoWeek(at, 'Europe/Berlin')).toBe(week));

  it('the weeks covering a period start on the Monday of its first day', () => {
    const period = { from: new Date('2026-03-25T23:00:00Z'), to: new Date('2026-04-07T22:00:00Z'), timezone: 'Europe/Berlin' };
    expect(weeksOf(period)).toEqual(['2026-W13', '2026-W14', '2026-W15']);
  });
});

describe('DORA performance levels (2023 thresholds)', () => {
  const HOUR = 3600;
  const DAY = 24 * HOUR;
  it.each([
    [frequencyLevel, 14, 'elite'],
    [frequencyLevel, 7, 'elite'],
    [frequencyLevel, 3.2, 'high'],
    [frequencyLevel, 1, 'high'],
    [frequencyLevel, 0.5, 'medium'],
    [frequencyLevel, 0.1, 'low'],
    [leadTimeLevel, 2 * HOUR, 'elite'],
    [leadTimeLevel, 3 * DAY, 'high'],
    [leadTimeLevel, 7 * DAY, 'high'],
    [leadTimeLevel, 20 * DAY, 'medium'],
    [leadTimeLevel, 60 * DAY, 'low'],
    [failureRateLevel, 0.05, 'elite'],
    [failureRateLevel, 0.08, 'high'],
    [failureRateLevel, 0.15, 'medium'],
    [failureRateLevel, 0.3, 'low'],
    [restoreLevel, 30 * 60, 'elite'],
    [restoreLevel, 5 * HOUR, 'high'],
    [restoreLevel, 3 * DAY, 'medium'],
    [restoreLevel, 10 * DAY, 'low'],
  ] as const)('%o(%s) is %s', (level, value, expected) => expect(level(value)).toBe(expected));

  it.each([
    [0, '0s'],
    [45, '45s'],
    [45 * 60, '45m'],
    [3 * HOUR + 20 * 60 + 5, '3h 20m'],
    [2 * DAY + 4 * HOUR + 59, '2d 4h'],
    [6 * DAY, '6d'],
  ])('%s seconds read %s', (seconds, text) => expect(humanDuration(seconds)).toBe(text));
});

describe('placing an instant in its week', () => {
  const period = { from: new Date('2026-03-23T00:00:00Z'), to: new Date('2026-04-06T00:00:00Z'), timezone: 'Europe/Berlin' };
  const starts = weekStarts(period);
  it.each([
    ['2026-03-22T22:59:59.999Z', -1],
    ['2026-03-22T23:00:00.000Z', 0],
    ['2026-03-29T21:59:59.999Z', 0],
    // Monday 30 March 00:00 CEST
    ['2026-03-29T22:00:00.000Z', 1],
    ['2026-04-05T21:59:59.000Z', 1],
    ['2026-04-05T22:00:00.000Z', 2],
  ])('%s → week %i', (at, index) => {
    expect(starts.map((w) => w.week)).toEqual(['2026-W13', '2026-W14', '2026-W15']);
    expect(weekIndex(starts, Date.parse(at))).toBe(index);
    if (index >= 0) expect(starts[index]?.week).toBe(isoWeek(at, 'Europe/Berlin'));
  });
});
