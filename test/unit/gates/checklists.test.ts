import { describe, expect, it } from 'vitest';
import type { Gate } from '../../../src/core/config/schema.js';
import { evaluateGate, type GateState } from '../../../src/core/gates/evaluate.js';
import type { LedgerEvent } from '../../../src/core/lifecycle/events.js';
import { INITIATOR, config, event, gateAt, input } from './fixtures.js';

const CONFIG = config({ groups: { qa: ['bob@example.com', 'ivy@example.com'] } });
const WHERE = 'phases.test.exit';
const GATE: Gate = {
  checklist: {
    id: 'readiness',
    who: 'qa',
    items: [
      { id: 'notes', text: 'release notes reviewed', required: true },
      { id: 'runbook', text: 'runbook updated', required: true },
      { id: 'blog', text: 'blog post drafted', required: false },
    ],
  },
};
const attest = (who: string, item: string, answer: 'yes' | 'no' = 'yes', extra: Record<string, unknown> = {}): LedgerEvent =>
  event('attestation.recorded', '2026-11-20T11:00:00.000Z', who, { where: WHERE, checklist: 'readiness', item, answer, ...extra });
const evaluate = (events: LedgerEvent[]): GateState => evaluateGate(gateAt(GATE, WHERE), input({ events, config: CONFIG, release: { initiator: INITIATOR, track: 'normal' } }));

describe('checklist gates', () => {
  it.each<[string, LedgerEvent[], Partial<GateState>]>([
    ['nothing attested', [], { status: 'pending', reason: 'waiting for items notes (release notes reviewed), runbook (runbook updated) of checklist readiness, attested by qa (bob@example.com, ivy@example.com)' }],
    ['one required item left', [attest('bob@example.com', 'notes')], { status: 'pending', reason: 'waiting for item runbook (runbook updated) of checklist readiness, attested by qa (bob@example.com, ivy@example.com)' }],
    ['every required item, the optional one not: passes (the initiator may attest)', [attest('bob@example.com', 'notes'), attest('ivy@example.com', 'runbook')], { status: 'passed', reason: 'checklist readiness: every required item attested' }],
    ['an eligible no rejects it', [attest('bob@example.com', 'notes'), attest('bob@example.com', 'runbook', 'no', { comment: 'still the old one' })], { status: 'rejected', reason: 'item runbook answered no by bob@example.com: still the old one' }],
    ['a no on an optional item rejects it too', [attest('bob@example.com', 'blog', 'no')], { status: 'rejected', reason: 'item blog answered no by bob@example.com' }],
    ['people outside `who` do not count, yes or no', [attest('mallory@example.com', 'notes'), attest('mallory@example.com', 'runbook', 'no')], { status: 'pending' }],
    ['an unknown item does not count', [attest('bob@example.com', 'notes'), attest('bob@example.com', 'other')], { status: 'pending' }],
  ])('%s', (_name, events, expected) => {
    const state = evaluate(events);
    expect(state).toMatchObject(expected);
    // Only a pending checklist waits for anyone; a settled one lists nobody.
    if (state.status === 'pending') expect(state.waitingFor).toEqual(['bob@example.com', 'ivy@example.com']);
    else expect(state.waitingFor ?? []).toEqual([]);
  });

  it('lists every attestation as a decision, with item, evidence and why one does not count', () => {
    const events = [
      attest('bob@example.com', 'notes', 'yes', { evidence: 'https://ci.example.com/1' }),
      attest('mallory@example.com', 'runbook'),
      attest('bob@example.com', 'other', 'no'),
      event('attestation.recorded', '2026-11-20T11:00:00.000Z', 'bob@example.com', { where: WHERE, checklist: 'another', item: 'notes', answer: 'no' }),
    ];
    expect(evaluate(events).decisions).toEqual([
      { decision: 'attested', by: { name: 'bob', email: 'bob@example.com' }, at: '2026-11-20T11:00:00.000Z', item: 'notes', evidence: 'https://ci.example.com/1' },
      { decision: 'attested', by: { name: 'mallory', email: 'mallory@example.com' }, at: '2026-11-20T11:00:00.000Z', item: 'runbook', ignored: 'not among the people who may attest checklist readiness' },
      { decision: 'answered no', by: { name: 'bob', email: 'bob@example.com' }, at: '2026-11-20T11:00:00.000Z', item: 'other', ignored: 'not an item of checklist readiness' },
    ]);
  });
});
