import { describe, expect, it } from 'vitest';
import type { Gate } from '../../../src/core/config/schema.js';
import { evaluateGate, evaluateRelease, type CheckResult, type GateInput, type GateState, type GateStatus } from '../../../src/core/gates/evaluate.js';
import type { LedgerEvent } from '../../../src/core/lifecycle/events.js';
import { INITIATOR, config, event, gateAt, input } from './fixtures.js';

const ok: CheckResult = { status: 'succeeded', exitCode: 0, attempts: 1, durationMs: 400 };
const checks = (results: Record<string, CheckResult>): GateInput['checks'] => new Map(Object.entries(results));

describe('check gates', () => {
  it.each<[string, Record<string, CheckResult>, GateStatus, string]>([
    ['a check that passed', { ready: ok }, 'passed', 'check ready passed in 0.4s'],
    ['a check that passed after retries', { ready: { ...ok, attempts: 3, durationMs: 75_000 } }, 'passed', 'check ready passed in 1m15s (3 attempts)'],
    ['a check that failed', { ready: { status: 'failed', exitCode: 1, attempts: 1, durationMs: 400 } }, 'failed', 'check ready failed (exit 1) after 0.4s'],
    ['a check killed by a signal', { ready: { status: 'failed', exitCode: null, signal: 'SIGKILL', attempts: 2, durationMs: 2_000 } }, 'failed', 'check ready failed (killed by SIGKILL) after 2.0s (2 attempts)'],
    ['a check that timed out', { ready: { status: 'timed_out', exitCode: null, attempts: 1, durationMs: 300_000 } }, 'failed', 'check ready timed out after 5m'],
    ['a check not run yet', {}, 'pending', 'check ready has not run yet'],
    ["another check's result does not count", { smoke: ok }, 'pending', 'check ready has not run yet'],
  ])('%s', (_name, results, status, reason) => {
    expect(evaluateGate(gateAt({ check: 'ready' }), input({ checks: checks(results) }))).toEqual({ status, reason });
  });
});

describe('wait gates', () => {
  const WHERE = 'phases.test.exit';
  const opened = (at: string, where = WHERE, gate = 'wait-30m'): LedgerEvent => event('gate.opened', at, 'runner@example.com', { where, gate });
  it.each<[string, LedgerEvent[], string, GateState]>([
    ['not reached yet', [], '2026-11-21T22:20:00Z', { status: 'pending', reason: 'waits 30m once reached' }],
    ['another gate opened, not this one', [opened('2026-11-21T22:10:00.000Z', 'phases.build.exit'), opened('2026-11-21T22:10:00.000Z', WHERE, 'wait-1h')], '2026-11-21T22:20:00Z', { status: 'pending', reason: 'waits 30m once reached' }],
    ['waiting', [opened('2026-11-21T22:10:00.000Z')], '2026-11-21T22:28:00Z', { status: 'pending', reason: 'waiting 30m since 22:10 UTC: 12m left, until 22:40 UTC', changesAt: '2026-11-21T22:40:00.000Z' }],
    // Never rounded down: seconds when they are not zero, `left` rounded up to the second.
    ['opened at a time with seconds', [opened('2026-11-21T22:03:45.000Z')], '2026-11-21T22:20:00Z', { status: 'pending', reason: 'waiting 30m since 22:03:45 UTC: 13m45s left, until 22:33:45 UTC', changesAt: '2026-11-21T22:33:45.000Z' }],
    ['opened with milliseconds: until rounds up', [opened('2026-11-21T22:03:45.200Z')], '2026-11-21T22:33:45Z', { status: 'pending', reason: 'waiting 30m since 22:03:45 UTC: 1.0s left, until 22:33:46 UTC', changesAt: '2026-11-21T22:33:45.200Z' }],
    ['less than a second left', [opened('2026-11-21T22:10:00.000Z')], '2026-11-21T22:39:59.400Z', { status: 'pending', reason: 'waiting 30m since 22:10 UTC: 1.0s left, until 22:40 UTC', changesAt: '2026-11-21T22:40:00.000Z' }],
    ['counted from the first gate.opened', [opened('2026-11-21T22:10:00.000Z'), opened('2026-11-21T22:30:00.000Z')], '2026-11-21T22:40:00Z', { status: 'passed', reason: 'waited 30m since 22:10 UTC, until 22:40 UTC' }],
  ])('%s', (_name, events, now, expected) => {
    expect(evaluateGate(gateAt({ wait: '30m' }, WHERE), input({ events, now: new Date(now) }))).toEqual(expected);
  });
});

describe('the emergency track', () => {
  const CONFIG = config({
    checks: { smoke: { run: './smoke' } },
    environments: { production: { tier: 'production' }, staging: { tier: 'staging' } },
    calendars: { timezone: 'UTC', freezes: { weekend: { start: '0 16 * * FRI', end: '0 8 * * MON' }, 'year-end': { from: '2026-12-18T00:00', to: '2027-01-04T08:00' } } },
    tracks: { emergency: { skip: ['staging.entry', 'production.exit', 'test.exit.wait', 'production.entry.signoff'], override_freezes: ['weekend'] } },
  });
  const SATURDAY = new Date('2026-11-28T12:00:00Z');
  const evaluate = (gate: Gate, where: string, track = 'emergency', now = SATURDAY): GateState =>
    evaluateGate(gateAt(gate, where), input({ config: CONFIG, now, release: { initiator: INITIATOR, track } }));
  const signoff: Gate = { approval: { id: 'signoff', rules: [{ from: 'x@example.com', min: 1 }], allow_self: false, allow_change: false, timeout: '72h' } };

  it.each<[string, Gate, string, GateStatus]>([
    ['a whole list: staging.entry', { wait: '1h' }, 'environments.staging.entry', 'pending'],
    ['a gate by id: test.exit.wait (any wait goes by `wait`)', { wait: '1h' }, 'phases.test.exit', 'pending'],
    ['an approval by id', signoff, 'environments.production.entry', 'pending'],
    ['a check at a non-production environment', { check: 'smoke' }, 'environments.staging.entry', 'pending'],
  ])('skips %s, keeping the state it would have', (_name, gate, where, skippedState) => {
    const state = evaluate(gate, where);
    expect(state.status).toBe('skipped');
    expect(state.skippedState).toBe(skippedState);
    expect(state.reason).toMatch(/^skipped by the emergency track \(it was pending: .+; skip: [a-z.]+\)$/);
    expect(state.changesAt).toBeUndefined();
  });

  it('says what it skipped and why', () => {
    expect(evaluate({ wait: '1h' }, 'environments.staging.entry')).toEqual({ status: 'skipped', skippedState: 'pending', reason: 'skipped by the emergency track (it was pending: waits 1h; skip: staging.entry)' });
    expect(evaluate({ freeze: 'weekend' }, 'environments.staging.entry')).toEqual({
      status: 'skipped',
      skippedState: 'pending',
      reason: 'skipped by the emergency track (it was pending: frozen by weekend until Mon 30 Nov 2026 08:00 UTC; skip: staging.entry)',
    });
  });

  it.each<[string, Gate, string, string]>([
    ["production's exit checks, even when the list is named", { check: 'smoke' }, 'environments.production.exit', 'emergency'],
    ['a gate of a list not named', { wait: '1h' }, 'phases.build.exit', 'emergency'],
    ['another gate in a list named with an id (test.exit.wait)', { check: 'smoke' }, 'phases.test.exit', 'emergency'],
    ['on the normal track', { wait: '1h' }, 'environments.staging.entry', 'normal'],
  ])('does not skip %s', (_name, gate, where, track) => {
    expect(evaluate(gate, where, track).status).toBe('pending');
  });

  it("skips production's other exit gates", () => {
    expect(evaluate({ wait: '1h' }, 'environments.production.exit').status).toBe('skipped');
  });

  it('passes through a freeze it may override, recording which', () => {
    expect(evaluate({ freeze: ['weekend', 'year-end'] }, 'phases.deploy.entry')).toEqual({
      status: 'skipped',
      skippedState: 'pending',
      overridden: ['weekend'],
      reason: 'the emergency track overrides freeze weekend (frozen by weekend until Mon 30 Nov 2026 08:00 UTC)',
    });
  });

  it('a skipped wait that was counting down says what it was, with no countdown and no changesAt', () => {
    const events = [event('gate.opened', '2026-11-28T11:50:00.000Z', 'runner@example.com', { where: 'phases.test.exit', gate: 'wait-30m' })];
    const state = evaluateGate(gateAt({ wait: '30m' }, 'phases.test.exit'), input({ config: CONFIG, events, now: SATURDAY, release: { initiator: INITIATOR, track: 'emergency' } }));
    expect(state).toEqual({ status: 'skipped', skippedState: 'pending', reason: 'skipped by the emergency track (it was pending: waits 30m; skip: test.exit.wait)' });
  });

  describe('a freeze it may override alongside one it may not', () => {
    const FREEZES = config({
      calendars: { timezone: 'UTC', freezes: { tonight: { from: '2026-11-28T10:00', to: '2026-11-28T18:00' }, nightly: { start: '0 11 * * *', end: '0 20 * * *' } } },
      tracks: { emergency: { override_freezes: ['nightly'] } },
    });
    const at = (now: string, track = 'emergency'): GateState =>
      evaluateGate(gateAt({ freeze: ['tonight', 'nightly'] }, 'phases.deploy.entry'), input({ config: FREEZES, now: new Date(now), release: { initiator: INITIATOR, track } }));
    it.each<[string, string, string, GateState]>([
      [
        'both active on the emergency track: pending on tonight alone, until it ends',
        '2026-11-28T12:00:00Z',
        'emergency',
        { status: 'pending', reason: 'frozen by tonight until Sat 28 Nov 2026 18:00 UTC (nightly is overridden by the emergency track)', changesAt: '2026-11-28T18:00:00.000Z' },
      ],
      [
        'on the normal track both hold it, until nightly ends',
        '2026-11-28T12:00:00Z',
        'normal',
        { status: 'pending', reason: 'frozen by tonight until Sat 28 Nov 2026 18:00 UTC and nightly until Sat 28 Nov 2026 20:00 UTC', changesAt: '2026-11-28T20:00:00.000Z' },
      ],
      [
        'only tonight active (before nightly starts): nightly starting later does not hold it on the emergency track',
        '2026-11-28T10:30:00Z',
        'emergency',
        { status: 'pending', reason: 'frozen by tonight until Sat 28 Nov 2026 18:00 UTC', changesAt: '2026-11-28T18:00:00.000Z' },
      ],
      [
        'only nightly active: overridden',
        '2026-11-28T19:00:00Z',
        'emergency',
        { status: 'skipped', skippedState: 'pending', overridden: ['nightly'], reason: 'the emergency track overrides freeze nightly (frozen by nightly until Sat 28 Nov 2026 20:00 UTC)' },
      ],
    ])('%s', (_name, now, track, expected) => {
      expect(at(now, track)).toEqual(expected);
    });
  });

  it('keeps a freeze it may not override, or one on the normal track, pending; no active freeze passes', () => {
    const christmas = new Date('2026-12-19T12:00:00Z');
    expect(evaluate({ freeze: ['weekend', 'year-end'] }, 'phases.deploy.entry', 'emergency', christmas).status).toBe('pending');
    expect(evaluate({ freeze: 'weekend' }, 'phases.deploy.entry', 'normal').status).toBe('pending');
    expect(evaluate({ freeze: 'weekend' }, 'phases.deploy.entry', 'emergency', new Date('2026-11-25T12:00:00Z'))).toEqual({ status: 'passed', reason: 'no freeze active (weekend)' });
  });
});

describe('evaluateRelease', () => {
  it('evaluates every gate of the config, in the order a release meets them', () => {
    const cfg = config({
      checks: { smoke: { run: './smoke' } },
      phases: { test: { exit: [{ check: 'smoke' }, { wait: '10m' }] }, deploy: { order: ['production'] } },
      environments: { production: { tier: 'production', entry: [{ approval: { id: 'signoff', rules: [{ from: 'x@example.com' }] } }] } },
    });
    const release = { gateEvents: [], initiator: INITIATOR, track: 'normal' };
    const states = evaluateRelease(cfg, release, new Date('2026-11-21T10:00:00Z'), checks({ smoke: ok }));
    expect(states.map(({ at, state }) => [at.key, state.status])).toEqual([
      ['phases.test.exit#smoke', 'passed'],
      ['phases.test.exit#wait-10m', 'pending'],
      ['environments.production.entry#signoff', 'pending'],
    ]);
    expect(evaluateRelease(null, release, new Date())).toEqual([]);
    expect(evaluateRelease(cfg, release, new Date('2026-11-21T10:00:00Z'))[0]?.state.status).toBe('pending');
  });
});
