import { describe, expect, it } from 'vitest';
import { configSchema, type Gate } from '../../../src/core/config/schema.js';
import { gatesAt } from '../../../src/core/gates/address.js';
import { evaluateGate, type CheckResult, type GateInput, type GateStatus } from '../../../src/core/gates/evaluate.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const ok: CheckResult = { status: 'succeeded', exitCode: 0, attempts: 1, durationMs: 400 };
const CONFIG = configSchema.parse({});
const input = (checks: Record<string, CheckResult> = {}, extra: Partial<GateInput> & { where?: string } = {}): GateInput & { where?: string } => ({ events: [], now: NOW, checks: new Map(Object.entries(checks)), config: CONFIG, release: { initiator: { name: 'A', email: 'a@x' }, track: 'normal' }, ...extra });
const at = (gate: Gate, where = '') => gatesAt(where, 'test', null, 'exit', [gate])[0]!;
const approval: Gate = { approval: { id: 'signoff', rules: [{ from: 'release-managers', min: 1 }], allow_self: false, allow_change: false, timeout: '72h' } };
const checklist: Gate = { checklist: { id: 'readiness', who: 'qa', items: [{ id: 'notes', text: 'notes read', required: true }] } };
const NOT_YET = '(approvals, checklists, windows, freezes and waits come with the deploy lifecycle)';

describe('evaluateGate', () => {
  it.each<[string, Gate, GateInput & { where?: string }, GateStatus, string]>([
    ['a check that passed', { check: 'ready' }, input({ ready: ok }), 'passed', 'check ready passed in 0.4s'],
    ['a check that passed after retries', { check: 'ready' }, input({ ready: { ...ok, attempts: 3, durationMs: 75_000 } }), 'passed', 'check ready passed in 1m15s (3 attempts)'],
    ['a check that failed', { check: 'ready' }, input({ ready: { status: 'failed', exitCode: 1, attempts: 1, durationMs: 400 } }), 'failed', 'check ready failed (exit 1) after 0.4s'],
    ['a check killed by a signal', { check: 'ready' }, input({ ready: { status: 'failed', exitCode: null, signal: 'SIGKILL', attempts: 2, durationMs: 2_000 } }), 'failed', 'check ready failed (killed by SIGKILL) after 2.0s (2 attempts)'],
    ['a check that timed out', { check: 'ready' }, input({ ready: { status: 'timed_out', exitCode: null, attempts: 1, durationMs: 300_000 } }), 'failed', 'check ready timed out after 5m'],
    ['a check not run yet', { check: 'ready' }, input(), 'pending', 'check ready has not run yet'],
    ["another check's result does not count", { check: 'ready' }, input({ smoke: ok }), 'pending', 'check ready has not run yet'],
    ['an approval', approval, input({}, { where: 'environments.production.entry' }), 'unsupported', `environments.production.entry: approval signoff (1 from release-managers): relmgr cannot evaluate approval gates yet ${NOT_YET}`],
    ['a checklist', checklist, input(), 'unsupported', `checklist readiness (1 items): relmgr cannot evaluate checklist gates yet ${NOT_YET}`],
    ['a window', { window: ['weekdays'] }, input(), 'unsupported', `window weekdays: relmgr cannot evaluate window gates yet ${NOT_YET}`],
    ['a freeze', { freeze: 'xmas' }, input(), 'unsupported', `freeze xmas: relmgr cannot evaluate freeze gates yet ${NOT_YET}`],
    ['a wait', { wait: '10m' }, input({}, { where: 'phases.test.exit' }), 'unsupported', `phases.test.exit: wait 10m: relmgr cannot evaluate wait gates yet ${NOT_YET}`],
  ])('%s', (_name, gate, given, status, reason) => {
    expect(evaluateGate(at(gate, given.where), given)).toEqual({ status, reason });
  });

  it('is never passed for a gate it cannot evaluate, whatever the checks say', () => {
    for (const gate of [approval, checklist, { wait: '1m' }, { window: 'w' }, { freeze: 'f' }] as Gate[]) {
      expect(evaluateGate(at(gate), input({ ready: ok, wait: ok, w: ok, f: ok, signoff: ok })).status).toBe('unsupported');
    }
  });
});
