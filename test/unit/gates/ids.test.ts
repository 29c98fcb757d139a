import { describe, expect, it } from 'vitest';
import type { Gate } from '../../../src/core/config/schema.js';
import { describeGate } from '../../../src/core/gates/describe.js';
import { eligiblePeople, gateIds, gateKind } from '../../../src/core/gates/ids.js';

const approval: Gate = { approval: { id: 'signoff', rules: [{ from: ['rm', 'x@example.com'], min: 2 }], allow_self: false, allow_change: false, timeout: '72h' } };

describe('gate names', () => {
  it.each<[Gate, string | null, string[], string]>([
    [approval, 'approval', ['signoff'], 'approval signoff (2 from rm/x@example.com)'],
    [{ checklist: { id: 'ready', who: 'qa', items: [{ id: 'a', text: 'A', required: true }, { id: 'b', text: 'B', required: false }] } }, 'checklist', ['ready'], 'checklist ready (2 items)'],
    [{ check: 'smoke' }, 'check', ['smoke'], 'check smoke'],
    [{ window: ['weekdays', 'nights'] }, 'window', ['weekdays', 'nights'], 'window weekdays, nights'],
    [{ freeze: 'xmas' }, 'freeze', ['xmas'], 'freeze xmas'],
    [{ wait: '10m' }, 'wait', ['wait'], 'wait 10m'],
  ])('%j', (gate, kind, ids, words) => {
    expect([gateKind(gate), gateIds(gate), describeGate(gate)]).toEqual([kind, ids, words]);
  });

  it('finds eligible people through groups and emails, lower-cased, and reports unknown names', () => {
    const { people, unknown } = eligiblePeople({ rm: ['A@example.com', 'b@example.com'] }, ['rm', 'C@Example.com', 'ghosts']);
    expect([...people]).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(unknown).toEqual(['ghosts']);
  });
});
