import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/load.js';
import { formatProblem } from '../../src/core/config/problems.js';
import { evaluateGate } from '../../src/core/gates/evaluate.js';
import { config, gateAt, input } from './gates/fixtures.js';

/* A train's code freeze (`<train>-code-freeze`) in freeze gates and in the config lint. */

const TRAINS = { timezone: 'Europe/Berlin' };
const c = config({ calendars: TRAINS, schedule: { trains: { weekly: { cron: '0 10 * * TUE', code_freeze: '2d' }, nightly: { cron: '0 2 * * *' } } }, tracks: { emergency: { override_freezes: ['weekly-code-freeze'] } } });
const at = (now: string, track: 'normal' | 'emergency' = 'normal') =>
  evaluateGate(gateAt({ freeze: 'weekly-code-freeze' }), input({ config: c, now: new Date(now), release: { initiator: { name: 'I', email: 'i@example.com' }, track } }));

describe('a code freeze in a freeze gate', () => {
  it('holds from code_freeze before a departure until the departure, across the EU autumn change', () => {
    expect(at('2026-10-25T09:00:00Z')).toEqual({ status: 'pending', reason: 'frozen by weekly-code-freeze until Tue 27 Oct 2026 10:00 Europe/Berlin (09:00 UTC)', changesAt: '2026-10-27T09:00:00.000Z' });
    expect(at('2026-10-25T08:59:00Z')).toEqual({ status: 'passed', reason: 'no freeze active (weekly-code-freeze)' });
    expect(at('2026-10-27T09:00:00Z').status).toBe('passed');
  });

  it('the emergency track may override it when override_freezes names it', () => {
    expect(at('2026-10-26T12:00:00Z', 'emergency')).toMatchObject({ status: 'skipped', overridden: ['weekly-code-freeze'] });
  });

  it('a train without code_freeze has no code freeze: the gate fails, naming it', () => {
    const state = evaluateGate(gateAt({ freeze: 'nightly-code-freeze' }), input({ config: c, now: new Date('2026-10-26T12:00:00Z') }));
    expect(state).toEqual({ status: 'failed', reason: 'freeze nightly-code-freeze is not under calendars.freezes' });
  });
});

describe('the config lint', () => {
  const base = 'calendars: { timezone: Europe/Berlin }\nschedule:\n  trains:\n    weekly: { cron: "0 10 * * TUE", code_freeze: 2d }\n    nightly: { cron: "0 2 * * *" }\n';
  it.each<[string, string, string[]]>([
    ['a code freeze in a gate and in override_freezes', 'phases: { build: { entry: [ { freeze: weekly-code-freeze } ] } }\ntracks: { emergency: { override_freezes: [weekly-code-freeze] } }\n', []],
    [
      'a train without code_freeze has none',
      'phases: { build: { entry: [ { freeze: nightly-code-freeze } ] } }\n',
      ['r.yaml:6:39  phases.build.entry[0].freeze  no freeze under calendars.freezes named "nightly-code-freeze" (defined: weekly-code-freeze)'],
    ],
  ])('%s', (_name, yaml, expected) => {
    expect(parseConfig(base + yaml, 'r.yaml').problems.map(formatProblem)).toEqual(expected);
  });

  it("a train's cron is checked where it is written (file:line:col)", () => {
    const problems = parseConfig('schedule:\n  trains:\n    weekly: { cron: "0 10 * TUE" }\n', 'r.yaml').problems.map(formatProblem);
    expect(problems).toEqual(['r.yaml:3:21  schedule.trains.weekly.cron  a cron expression has 5 fields (minute hour day-of-month month day-of-week), "0 10 * TUE" has 4']);
  });
});

describe('trains that could mislead', () => {
  it.each<[string, string, string[]]>([
    ['a code freeze as long as the time between departures', 'schedule:\n  trains:\n    daily: { cron: "0 10 * * *", code_freeze: 1d }\n', ['r.yaml:3:47  schedule.trains.daily.code_freeze  a code freeze of 1d is as long as the time between two departures of "0 10 * * *": the code would never be open']],
    ['a shorter one is fine', 'schedule:\n  trains:\n    daily: { cron: "0 10 * * *", code_freeze: 12h }\n', []],
    ['a train that never departs', 'schedule:\n  trains:\n    never: { cron: "0 10 30 2 *" }\n', ['r.yaml:3:20  schedule.trains.never.cron  "0 10 30 2 *" never fires: the train would never depart']],
    [
      'a freeze with the name of a code freeze',
      'calendars:\n  freezes:\n    weekly-code-freeze: { from: "2026-12-18T00:00", to: "2027-01-04T00:00" }\nschedule:\n  trains:\n    weekly: { cron: "0 10 * * TUE", code_freeze: 2d }\n',
      ['r.yaml:6:50  schedule.trains.weekly.code_freeze  calendars.freezes has a freeze named "weekly-code-freeze", the name of this train\'s code freeze: rename one of them'],
    ],
  ])('%s', (_name, yaml, expected) => {
    expect(parseConfig(yaml, 'r.yaml').problems.map(formatProblem)).toEqual(expected);
  });
});
