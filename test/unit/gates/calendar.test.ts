import { describe, expect, it } from 'vitest';
import type { Gate } from '../../../src/core/config/schema.js';
import { formatInstant } from '../../../src/core/gates/calendar.js';
import { evaluateGate, type GateState } from '../../../src/core/gates/evaluate.js';
import { config, gateAt, input } from './fixtures.js';

const WEEKEND = { start: '0 16 * * FRI', end: '0 8 * * MON' };
const calendars = (timezone: string, more: Record<string, unknown> = {}) => config({ calendars: { timezone, freezes: { weekend: WEEKEND }, ...more } });
const freezeAt = (timezone: string, now: string, gate: Gate = { freeze: 'weekend' }, more: Record<string, unknown> = {}): GateState =>
  evaluateGate(gateAt(gate), input({ config: calendars(timezone, more), now: new Date(now) }));

describe('a weekly freeze across daylight-saving changes', () => {
  it.each([
    // Europe/Berlin, autumn (Sun 25 Oct 2026): the Monday after ends an hour later in UTC than the Monday before.
    ['Europe/Berlin', 'Sat before the EU autumn change', '2026-10-24T12:00:00Z', '2026-10-26T07:00:00.000Z', 'Mon 26 Oct 2026 08:00 Europe/Berlin (07:00 UTC)'],
    ['Europe/Berlin', 'Sat a week earlier (summer time)', '2026-10-17T12:00:00Z', '2026-10-19T06:00:00.000Z', 'Mon 19 Oct 2026 08:00 Europe/Berlin (06:00 UTC)'],
    ['Europe/Berlin', 'Sun of the EU autumn change', '2026-10-25T01:30:00Z', '2026-10-26T07:00:00.000Z', 'Mon 26 Oct 2026 08:00 Europe/Berlin (07:00 UTC)'],
    // Europe/Berlin, spring (Sun 29 Mar 2026).
    ['Europe/Berlin', 'Sat before the EU spring change', '2026-03-28T12:00:00Z', '2026-03-30T06:00:00.000Z', 'Mon 30 Mar 2026 08:00 Europe/Berlin (06:00 UTC)'],
    ['Europe/Berlin', 'Sat a week earlier (winter time)', '2026-03-21T12:00:00Z', '2026-03-23T07:00:00.000Z', 'Mon 23 Mar 2026 08:00 Europe/Berlin (07:00 UTC)'],
    // America/New_York, autumn (Sun 1 Nov 2026) and spring (Sun 8 Mar 2026).
    ['America/New_York', 'Sat before the US autumn change', '2026-10-31T16:00:00Z', '2026-11-02T13:00:00.000Z', 'Mon 2 Nov 2026 08:00 America/New_York (13:00 UTC)'],
    ['America/New_York', 'Sat a week earlier (daylight time)', '2026-10-24T16:00:00Z', '2026-10-26T12:00:00.000Z', 'Mon 26 Oct 2026 08:00 America/New_York (12:00 UTC)'],
    ['America/New_York', 'Sat before the US spring change', '2026-03-07T16:00:00Z', '2026-03-09T12:00:00.000Z', 'Mon 9 Mar 2026 08:00 America/New_York (12:00 UTC)'],
    ['America/New_York', 'Sat a week earlier (standard time)', '2026-02-28T16:00:00Z', '2026-03-02T13:00:00.000Z', 'Mon 2 Mar 2026 08:00 America/New_York (13:00 UTC)'],
  ])('%s: %s is frozen until Monday 08:00 local', (zone, _name, now, end, words) => {
    expect(freezeAt(zone, now)).toEqual({ status: 'pending', reason: `frozen by weekend until ${words}`, changesAt: end });
  });

  it.each([
    ['Europe/Berlin', 'Mon 26 Oct 08:00 local exactly', '2026-10-26T07:00:00Z'],
    ['Europe/Berlin', 'Mon 19 Oct 08:00 local exactly', '2026-10-19T06:00:00Z'],
    ['Europe/Berlin', 'Mon 30 Mar 08:00 local exactly', '2026-03-30T06:00:00Z'],
    ['Europe/Berlin', 'Fri 23 Oct 15:59 local', '2026-10-23T13:59:00Z'],
    ['America/New_York', 'Mon 2 Nov 08:00 local exactly', '2026-11-02T13:00:00Z'],
    ['America/New_York', 'Mon 9 Mar 08:00 local exactly', '2026-03-09T12:00:00Z'],
    ['America/New_York', 'Wed 4 Nov', '2026-11-04T12:00:00Z'],
  ])('%s: %s is not frozen', (zone, _name, now) => {
    expect(freezeAt(zone, now)).toEqual({ status: 'passed', reason: 'no freeze active (weekend)' });
  });

  it('starts at Friday 16:00 local exactly', () => {
    expect(freezeAt('Europe/Berlin', '2026-10-23T14:00:00Z').status).toBe('pending');
    expect(freezeAt('America/New_York', '2026-10-30T20:00:00Z').status).toBe('pending');
  });
});

describe('formatInstant', () => {
  it.each([
    ['the same day in UTC', '2026-11-30T07:00:00Z', 'Europe/Berlin', 'Mon 30 Nov 2026 08:00 Europe/Berlin (07:00 UTC)'],
    ['UTC is already the next day', '2026-11-30T00:30:00Z', 'America/New_York', 'Sun 29 Nov 2026 19:30 America/New_York (Mon 30 Nov 00:30 UTC)'],
    ['UTC is still the day before', '2026-11-29T23:30:00Z', 'Europe/Berlin', 'Mon 30 Nov 2026 00:30 Europe/Berlin (Sun 29 Nov 23:30 UTC)'],
    ['a UTC calendar says it once', '2026-11-30T00:30:00Z', 'UTC', 'Mon 30 Nov 2026 00:30 UTC'],
  ])('%s', (_name, instant, zone, words) => {
    expect(formatInstant(new Date(instant), zone)).toBe(words);
  });
});

describe('freeze gates', () => {
  const more = { freezes: { weekend: WEEKEND, launch: { from: '2026-11-27T12:00', to: '2026-11-28T12:00' }, dst: { from: '2026-10-24T12:00', to: '2026-10-25T12:00' } } };

  it('a one-off freeze across a DST change lasts 25 hours of real time, [from, to)', () => {
    const gate = { freeze: 'dst' };
    expect(freezeAt('Europe/Berlin', '2026-10-24T09:59:00Z', gate, more).status).toBe('passed');
    expect(freezeAt('Europe/Berlin', '2026-10-24T10:00:00Z', gate, more)).toEqual({
      status: 'pending',
      reason: 'frozen by dst until Sun 25 Oct 2026 12:00 Europe/Berlin (11:00 UTC)',
      changesAt: '2026-10-25T11:00:00.000Z',
    });
    expect(freezeAt('Europe/Berlin', '2026-10-25T10:59:00Z', gate, more).status).toBe('pending');
    expect(freezeAt('Europe/Berlin', '2026-10-25T11:00:00Z', gate, more).status).toBe('passed');
  });

  it('ending one freeze may leave another active: it changes when none is', () => {
    expect(freezeAt('Europe/Berlin', '2026-11-27T12:00:00Z', { freeze: ['launch', 'weekend'] }, more)).toEqual({
      status: 'pending',
      reason: 'frozen by launch until Sat 28 Nov 2026 12:00 Europe/Berlin (11:00 UTC); no freeze until Mon 30 Nov 2026 08:00 Europe/Berlin (07:00 UTC)',
      changesAt: '2026-11-30T07:00:00.000Z',
    });
    expect(freezeAt('Europe/Berlin', '2026-11-27T16:00:00Z', { freeze: ['launch', 'weekend'] }, more)).toEqual({
      status: 'pending',
      reason: 'frozen by launch until Sat 28 Nov 2026 12:00 Europe/Berlin (11:00 UTC) and weekend until Mon 30 Nov 2026 08:00 Europe/Berlin (07:00 UTC)',
      changesAt: '2026-11-30T07:00:00.000Z',
    });
    expect(freezeAt('Europe/Berlin', '2026-11-25T12:00:00Z', { freeze: ['launch', 'weekend'] }, more)).toEqual({ status: 'passed', reason: 'no freeze active (launch, weekend)' });
  });

  it('UTC calendars say the time once; a name not under calendars.freezes fails the gate', () => {
    expect(freezeAt('UTC', '2026-11-28T12:00:00Z').reason).toBe('frozen by weekend until Mon 30 Nov 2026 08:00 UTC');
    expect(freezeAt('UTC', '2026-11-28T12:00:00Z', { freeze: ['weekend', 'xmas'] })).toEqual({ status: 'failed', reason: 'freeze xmas is not under calendars.freezes' });
  });
});

describe('window gates', () => {
  const windows = {
    'office-hours': { days: ['mon', 'tue', 'wed', 'thu'], from: '09:00', to: '16:00', timezone: 'Europe/Berlin' },
    late: { days: ['fri'], from: '22:00', to: '02:00' },
    'east-coast': { days: ['mon', 'wed', 'fri'], from: '09:00', to: '17:00', timezone: 'America/New_York' },
  };
  const windowAt = (now: string, window: string | string[]): GateState => freezeAt('UTC', now, { window }, { windows });

  it.each<[string, string, string | string[], GateState]>([
    ['outside, its own zone', '2026-11-29T22:08:00Z', 'office-hours', {
      status: 'pending',
      reason: 'outside window office-hours (mon–thu 09:00–16:00 Europe/Berlin): opens Mon 30 Nov 2026 09:00 Europe/Berlin (08:00 UTC)',
      changesAt: '2026-11-30T08:00:00.000Z',
    }],
    ['inside, its own zone', '2026-11-30T10:00:00Z', 'office-hours', { status: 'passed', reason: 'inside window office-hours (mon–thu 09:00–16:00 Europe/Berlin) until 16:00 Europe/Berlin (15:00 UTC)' }],
    ['closed at `to` exactly', '2026-11-30T15:00:00Z', 'office-hours', {
      status: 'pending',
      reason: 'outside window office-hours (mon–thu 09:00–16:00 Europe/Berlin): opens Tue 1 Dec 2026 09:00 Europe/Berlin (08:00 UTC)',
      changesAt: '2026-12-01T08:00:00.000Z',
    }],
    ['Thursday evening, after hours until Monday', '2026-12-03T16:00:00Z', 'office-hours', {
      status: 'pending',
      reason: 'outside window office-hours (mon–thu 09:00–16:00 Europe/Berlin): opens Mon 7 Dec 2026 09:00 Europe/Berlin (08:00 UTC)',
      changesAt: '2026-12-07T08:00:00.000Z',
    }],
    ['past midnight: Saturday 01:00 is still Friday\'s window', '2026-12-05T01:00:00Z', 'late', { status: 'passed', reason: 'inside window late (fri 22:00–02:00 UTC) until 02:00 UTC' }],
    ['past midnight: Friday 22:00 opens it', '2026-12-04T22:00:00Z', 'late', { status: 'passed', reason: 'inside window late (fri 22:00–02:00 UTC) until 02:00 UTC' }],
    ['past midnight: closed Saturday 02:00', '2026-12-05T02:00:00Z', 'late', {
      status: 'pending',
      reason: 'outside window late (fri 22:00–02:00 UTC): opens Fri 11 Dec 2026 22:00 UTC',
      changesAt: '2026-12-11T22:00:00.000Z',
    }],
    ['past midnight: not after Thursday', '2026-12-04T01:00:00Z', 'late', {
      status: 'pending',
      reason: 'outside window late (fri 22:00–02:00 UTC): opens Fri 4 Dec 2026 22:00 UTC',
      changesAt: '2026-12-04T22:00:00.000Z',
    }],
    ['New York hours across the US change', '2026-11-02T14:30:00Z', 'east-coast', { status: 'passed', reason: 'inside window east-coast (mon, wed, fri 09:00–17:00 America/New_York) until 17:00 America/New_York (22:00 UTC)' }],
    ['New York, before 09:00 EST', '2026-11-02T13:30:00Z', 'east-coast', {
      status: 'pending',
      reason: 'outside window east-coast (mon, wed, fri 09:00–17:00 America/New_York): opens Mon 2 Nov 2026 09:00 America/New_York (14:00 UTC)',
      changesAt: '2026-11-02T14:00:00.000Z',
    }],
    ['several windows: any open passes', '2026-12-05T01:00:00Z', ['office-hours', 'late'], { status: 'passed', reason: 'inside window late (fri 22:00–02:00 UTC) until 02:00 UTC' }],
    ['several windows: changes when the first opens', '2026-12-04T16:00:00Z', ['office-hours', 'late'], {
      status: 'pending',
      reason: 'outside window office-hours (mon–thu 09:00–16:00 Europe/Berlin): opens Mon 7 Dec 2026 09:00 Europe/Berlin (08:00 UTC); outside window late (fri 22:00–02:00 UTC): opens Fri 4 Dec 2026 22:00 UTC',
      changesAt: '2026-12-04T22:00:00.000Z',
    }],
    ['a name not under calendars.windows', '2026-12-04T16:00:00Z', ['late', 'nope'], { status: 'failed', reason: 'window nope is not under calendars.windows' }],
  ])('%s', (_name, now, window, expected) => {
    expect(windowAt(now, window)).toEqual(expected);
  });
});
