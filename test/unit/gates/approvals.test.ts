import { describe, expect, it } from 'vitest';
import type { Gate } from '../../../src/core/config/schema.js';
import { assignApprovers } from '../../../src/core/gates/approvals.js';
import { evaluateGate, type GateState } from '../../../src/core/gates/evaluate.js';
import type { LedgerEvent } from '../../../src/core/lifecycle/events.js';
import { INITIATOR, config, event, gateAt, input } from './fixtures.js';

const GROUPS = { 'release-managers': ['alice@example.com', 'bob@example.com', 'ivy@example.com'], sre: ['alice@example.com', 'dave@example.com', 'erin@example.com'] };
const CONFIG = config({ groups: GROUPS, environments: { production: { tier: 'production' }, staging: {} }, tracks: { emergency: { approval: { from: 'sre', min: 2 } } } });
const WHERE = 'environments.production.entry';
const gate = (extra: Record<string, unknown> = {}): Gate =>
  ({ approval: { id: 'signoff', rules: [{ from: 'release-managers', min: 1 }, { from: 'sre', min: 1 }], allow_self: false, allow_change: false, timeout: '72h', ...extra } }) as Gate;
const OPENED = event('gate.opened', '2026-11-20T10:00:00.000Z', 'runner@example.com', { where: WHERE, gate: 'signoff' });
const grant = (who: string, at = '2026-11-20T11:00:00.000Z', data: Record<string, unknown> = {}): LedgerEvent => event('approval.granted', at, who, { where: WHERE, gate: 'signoff', ...data });
const reject = (who: string, comment: string, at = '2026-11-20T12:00:00.000Z'): LedgerEvent => event('approval.rejected', at, who, { where: WHERE, gate: 'signoff', comment });
const evaluate = (events: LedgerEvent[], extra: { gate?: Gate; now?: string; track?: string; where?: string } = {}): GateState =>
  evaluateGate(gateAt(extra.gate ?? gate(), extra.where ?? WHERE), input({ events, config: CONFIG, now: new Date(extra.now ?? '2026-11-21T10:00:00Z'), release: { initiator: INITIATOR, track: extra.track ?? 'normal' } }));

describe('approval gates', () => {
  it('one person counts toward one rule only: alice in both groups does not pass alone', () => {
    const state = evaluate([OPENED, grant('alice@example.com')]);
    expect(state.status).toBe('pending');
    // bob completes it too: alice moves to sre.
    expect(state.reason).toBe('waiting for 1 more approval: bob@example.com, dave@example.com or erin@example.com (rules: 1 from release-managers, 1 from sre; approved by alice@example.com)');
    expect(state.changesAt).toBe('2026-11-23T10:00:00.000Z');
    expect(state.waitingFor).toEqual(['bob@example.com', 'dave@example.com', 'erin@example.com']);
  });

  it('assigns people so every rule is met when it can be (alice moves to release-managers for dave)', () => {
    expect(evaluate([OPENED, grant('alice@example.com'), grant('dave@example.com')])).toMatchObject({ status: 'passed', reason: 'approved by alice@example.com, dave@example.com' });
    expect(assignApprovers([new Set(['a', 'b']), new Set(['a'])], [1, 1], ['a', 'b'])).toEqual([['b'], ['a']]);
    expect(assignApprovers([new Set(['a'])], [2], ['a', 'b'])).toEqual([['a']]);
  });

  it('the initiator\'s approval never counts unless allow_self', () => {
    const state = evaluate([OPENED, grant('ivy@example.com'), grant('dave@example.com')]);
    expect(state.status).toBe('pending');
    expect(state.reason).toBe('waiting for 1 approval from release-managers (alice@example.com, bob@example.com); approved by dave@example.com');
    expect(state.decisions?.[0]).toMatchObject({ decision: 'approved', by: { email: 'ivy@example.com' }, ignored: 'the release initiator may not approve it (allow_self is off)' });
    expect(evaluate([OPENED, grant('ivy@example.com'), grant('dave@example.com')], { gate: gate({ allow_self: true }) }).status).toBe('passed');
  });

  it('people outside the rules are recorded but do not count', () => {
    const state = evaluate([OPENED, grant('mallory@example.com')]);
    expect(state.status).toBe('pending');
    expect(state.decisions).toEqual([{ decision: 'approved', by: { name: 'mallory', email: 'mallory@example.com' }, at: '2026-11-20T11:00:00.000Z', ignored: 'not among the people who may decide approval signoff' }]);
  });

  it('any eligible rejection rejects it, naming who and why', () => {
    const state = evaluate([OPENED, grant('alice@example.com'), reject('erin@example.com', 'error budget spent')]);
    expect(state).toMatchObject({ status: 'rejected', reason: 'rejected by erin@example.com: error budget spent' });
    expect(state.waitingFor ?? []).toEqual([]);
    expect(state.decisions?.map((d) => [d.decision, d.by.email, d.comment])).toEqual([
      ['approved', 'alice@example.com', undefined],
      ['rejected', 'erin@example.com', 'error budget spent'],
    ]);
    expect(evaluate([OPENED, grant('alice@example.com'), grant('dave@example.com'), reject('mallory@example.com', 'no')]).status).toBe('passed');
  });

  it('without allow_change a person\'s first decision stands; with it, their latest', () => {
    const events = [OPENED, reject('dave@example.com', 'wait for the fix', '2026-11-20T11:00:00.000Z'), grant('dave@example.com', '2026-11-20T12:00:00.000Z'), grant('bob@example.com', '2026-11-20T12:30:00.000Z')];
    const first = evaluate(events);
    expect(first).toMatchObject({ status: 'rejected', reason: 'rejected by dave@example.com: wait for the fix' });
    expect(first.decisions?.[1]?.ignored).toBe('a first decision stands (allow_change is off)');
    const latest = evaluate(events, { gate: gate({ allow_change: true }) });
    expect(latest).toMatchObject({ status: 'passed', reason: 'approved by dave@example.com, bob@example.com' });
    expect(latest.decisions?.[0]?.ignored).toBe('superseded by a later decision');
  });

  it.each([
    ['before the timeout: pending until it', '2026-11-23T09:59:59Z', 'pending'],
    ['at the timeout', '2026-11-23T10:00:00Z', 'timed_out'],
  ])('times out %s, counted from the first gate.opened', (_name, now, status) => {
    const later = event('gate.opened', '2026-11-22T10:00:00.000Z', 'runner@example.com', { where: WHERE, gate: 'signoff' });
    expect(evaluate([OPENED, later, grant('alice@example.com')], { now }).status).toBe(status);
  });

  it('says why it timed out; a short timeout; no gate.opened yet: no timeout', () => {
    expect(evaluate([OPENED], { now: '2026-11-20T10:30:00Z', gate: gate({ timeout: '30m' }) })).toMatchObject({
      status: 'timed_out',
      reason: 'no approval within 30m of 2026-11-20 10:00:00 UTC (timed out at 2026-11-20 10:30:00 UTC; decisions after that do not count): still missing 1 approval from release-managers (alice@example.com, bob@example.com) and 1 approval from sre (alice@example.com, dave@example.com, erin@example.com)',
    });
    const none = evaluate([], { now: '2027-01-01T00:00:00Z' });
    expect(none.status).toBe('pending');
    expect(none.changesAt).toBeUndefined();
  });

  it('passes once approved even after the timeout; decisions at other gates do not count', () => {
    expect(evaluate([OPENED, grant('alice@example.com'), grant('dave@example.com')], { now: '2027-01-01T00:00:00Z' }).status).toBe('passed');
    const elsewhere = event('approval.granted', '2026-11-20T11:00:00.000Z', 'bob@example.com', { where: 'environments.staging.entry', gate: 'signoff' });
    const other = event('approval.granted', '2026-11-20T11:00:00.000Z', 'erin@example.com', { where: WHERE, gate: 'other' });
    expect(evaluate([OPENED, grant('alice@example.com'), elsewhere, other]).decisions).toHaveLength(1);
  });

  it('the emergency track\'s approval replaces a production entry\'s rules', () => {
    const state = evaluate([OPENED, grant('alice@example.com')], { track: 'emergency' });
    expect(state.reason).toBe('waiting for 1 approval from sre (dave@example.com, erin@example.com); approved by alice@example.com');
    expect(evaluate([OPENED, grant('alice@example.com'), grant('erin@example.com')], { track: 'emergency' }).status).toBe('passed');
    // bob is a release manager, not sre: enough normally, not on the emergency track.
    expect(evaluate([OPENED, grant('alice@example.com'), grant('bob@example.com')]).status).toBe('passed');
    expect(evaluate([OPENED, grant('alice@example.com'), grant('bob@example.com')], { track: 'emergency' }).status).toBe('pending');
    expect(evaluate([grant('alice@example.com', undefined, { where: 'environments.staging.entry' })], { track: 'emergency', where: 'environments.staging.entry' }).status).toBe('pending');
  });

  it('several missing approvals from one rule', () => {
    expect(evaluate([OPENED], { gate: gate({ rules: [{ from: ['sre', 'bob@example.com'], min: 2 }] }) }).reason).toBe(
      'waiting for 2 approvals from sre/bob@example.com (alice@example.com, bob@example.com, dave@example.com, erin@example.com)',
    );
  });

  describe('overlapping groups: who could still complete it', () => {
    const OVERLAP = config({ groups: { 'release-managers': ['bob@example.com', 'erin@example.com'], sre: ['dave@example.com', 'erin@example.com'] } });
    const on = (events: LedgerEvent[], rules: Record<string, unknown>[] = [{ from: 'release-managers', min: 1 }, { from: 'sre', min: 1 }]): GateState =>
      evaluateGate(gateAt(gate({ rules }), WHERE), input({ events, config: OVERLAP, now: new Date('2026-11-21T10:00:00Z'), release: { initiator: INITIATOR, track: 'normal' } }));
    it.each<[string, LedgerEvent[], Record<string, unknown>[] | undefined, string, string[]]>([
      [
        'erin approved: bob completes it as well as dave (erin moves to sre)',
        [OPENED, grant('erin@example.com')],
        undefined,
        'waiting for 1 more approval: bob@example.com or dave@example.com (rules: 1 from release-managers, 1 from sre; approved by erin@example.com)',
        ['bob@example.com', 'dave@example.com'],
      ],
      [
        'nobody approved yet: each rule says whom it needs',
        [OPENED],
        undefined,
        'waiting for 1 approval from release-managers (bob@example.com, erin@example.com) and 1 approval from sre (dave@example.com, erin@example.com)',
        ['bob@example.com', 'dave@example.com', 'erin@example.com'],
      ],
      [
        'bob approved: only sre people complete it',
        [OPENED, grant('bob@example.com')],
        undefined,
        'waiting for 1 approval from sre (dave@example.com, erin@example.com); approved by bob@example.com',
        ['dave@example.com', 'erin@example.com'],
      ],
      [
        'two from sre, erin approved: dave alone completes it, bob cannot',
        [OPENED, grant('erin@example.com')],
        [{ from: 'sre', min: 2 }],
        'waiting for 1 approval from sre (dave@example.com); approved by erin@example.com',
        ['dave@example.com'],
      ],
    ])('%s', (_name, events, rules, reason, waitingFor) => {
      expect(on(events, rules)).toMatchObject({ status: 'pending', reason, waitingFor });
    });

    it('a passed approval waits for nobody', () => {
      const state = on([OPENED, grant('erin@example.com'), grant('bob@example.com')]);
      expect(state.status).toBe('passed');
      expect(state.waitingFor ?? []).toEqual([]);
    });
  });

  describe('a timed-out approval stays timed out', () => {
    const short = gate({ timeout: '30m' });
    it.each<[string, LedgerEvent[], string, string]>([
      ['an approval after the timeout does not pass it', [OPENED, grant('alice@example.com', '2026-11-20T10:10:00.000Z'), grant('dave@example.com', '2026-11-20T10:45:00.000Z')], '2026-11-20T11:00:00Z', 'timed_out'],
      ['an approval at the timeout does not count either', [OPENED, grant('alice@example.com', '2026-11-20T10:10:00.000Z'), grant('dave@example.com', '2026-11-20T10:30:00.000Z')], '2026-11-20T11:00:00Z', 'timed_out'],
      ['a rejection after the timeout does not turn it into rejected', [OPENED, reject('dave@example.com', 'too late', '2026-11-20T10:45:00.000Z')], '2026-11-20T11:00:00Z', 'timed_out'],
      ['approvals before the timeout still pass it, read later', [OPENED, grant('alice@example.com', '2026-11-20T10:10:00.000Z'), grant('dave@example.com', '2026-11-20T10:29:59.000Z')], '2026-11-21T11:00:00Z', 'passed'],
      ['a rejection before the timeout stays rejected', [OPENED, reject('dave@example.com', 'no', '2026-11-20T10:20:00.000Z')], '2026-11-21T11:00:00Z', 'rejected'],
    ])('%s', (_name, events, now, status) => {
      expect(evaluate(events, { gate: short, now }).status).toBe(status);
    });

    it('says when it timed out, that later decisions do not count, and marks them', () => {
      const state = evaluate([OPENED, grant('alice@example.com', '2026-11-20T10:10:00.000Z'), grant('dave@example.com', '2026-11-20T10:45:00.000Z')], { gate: short, now: '2026-11-20T11:00:00Z' });
      expect(state.reason).toBe(
        'no approval within 30m of 2026-11-20 10:00:00 UTC (timed out at 2026-11-20 10:30:00 UTC; decisions after that do not count): still missing 1 more approval: bob@example.com, dave@example.com or erin@example.com (rules: 1 from release-managers, 1 from sre; approved by alice@example.com)',
      );
      expect(state.decisions?.[1]?.ignored).toBe('recorded after the approval timed out at 2026-11-20 10:30:00 UTC');
      expect(state.waitingFor ?? []).toEqual([]);
      expect(state.changesAt).toBeUndefined();
    });

    it('with allow_change, a rejector may still change their mind before the timeout', () => {
      const events = [OPENED, reject('dave@example.com', 'wait', '2026-11-20T10:05:00.000Z'), grant('dave@example.com', '2026-11-20T10:10:00.000Z'), grant('bob@example.com', '2026-11-20T10:15:00.000Z')];
      expect(evaluate(events, { gate: gate({ timeout: '30m', allow_change: true }), now: '2026-11-20T11:00:00Z' }).status).toBe('passed');
    });
  });
});
