import { describe, expect, it } from 'vitest';
import type { Gate } from '../../../src/core/config/schema.js';
import { clearAt } from '../../../src/core/gates/clear.js';
import type { LedgerEvent } from '../../../src/core/lifecycle/events.js';
import { INITIATOR, config, event, gateAt, input } from './fixtures.js';

const WHERE = 'phases.deploy.entry';
const CONFIG = config({
  calendars: {
    timezone: 'Europe/Berlin',
    freezes: {
      tonight: { from: '2026-11-30T00:00', to: '2026-11-30T06:00' },
      spring: { from: '2026-11-30T00:00', to: '2027-03-29T00:00' },
      monday: { from: '2026-11-30T08:00', to: '2026-11-30T11:00' },
      weekend: { start: '0 16 * * FRI', end: '0 8 * * MON' },
    },
    windows: { mornings: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '10:00' }, saturdays: { days: ['sat'], from: '09:00', to: '17:00' } },
  },
  tracks: { emergency: { override_freezes: ['spring'] } },
});
const opened = (at: string): LedgerEvent => event('gate.opened', at, 'runner@example.com', { where: WHERE, gate: 'wait-30m' });
const signoff: Gate = { approval: { id: 'signoff', rules: [{ from: 'x@example.com', min: 1 }], allow_self: false, allow_change: false, timeout: '72h' } };

describe('clearAt: when every time gate passes at once', () => {
  it.each<[string, Gate[], string, LedgerEvent[], string | null, number?, string?]>([
    ['a freeze until 06:00 Berlin and a window opening 09:00: the window', [{ freeze: 'tonight' }, { window: 'mornings' }], '2026-11-30T01:00:00Z', [], '2026-11-30T08:00:00.000Z'],
    ['a window opening Sat 5 Dec and a freeze until 29 Mar: the first Saturday after it (summer time by then)', [{ window: 'saturdays' }, { freeze: 'spring' }], '2026-11-30T12:00:00Z', [], '2027-04-03T07:00:00.000Z'],
    ['a wait until 22:40 and a freeze that ended: the wait', [{ wait: '30m' }, { freeze: 'tonight' }], '2026-11-30T22:20:00Z', [opened('2026-11-30T22:10:00.000Z')], '2026-11-30T22:40:00.000Z'],
    ['a wait and the weekend freeze: Monday 08:00 Berlin', [{ wait: '30m' }, { freeze: 'weekend' }], '2026-11-28T12:00:00Z', [opened('2026-11-28T11:50:00.000Z')], '2026-11-30T07:00:00.000Z'],
    ['the window opens inside another freeze, then closes: the next morning', [{ freeze: 'tonight' }, { freeze: 'monday' }, { window: 'mornings' }], '2026-11-30T01:00:00Z', [], '2026-12-01T08:00:00.000Z'],
    ['the same, with too small a limit: cannot tell', [{ freeze: 'tonight' }, { freeze: 'monday' }, { window: 'mornings' }], '2026-11-30T01:00:00Z', [], null, 2],
    ['everything passes already: now', [{ freeze: 'tonight' }, { window: 'mornings' }], '2026-11-30T08:30:00Z', [], '2026-11-30T08:30:00.000Z'],
    ['approvals and checks are left out', [signoff, { check: 'smoke' }, { freeze: 'tonight' }], '2026-11-30T01:00:00Z', [], '2026-11-30T05:00:00.000Z'],
    ['a wait not reached yet, first in the list: reached now, done long before the freeze ends', [{ wait: '30m' }, { freeze: 'tonight' }], '2026-11-30T01:00:00Z', [], '2026-11-30T05:00:00.000Z'],
    ['a wait behind a freeze starts when the freeze ends', [{ freeze: 'tonight' }, { wait: '30m' }], '2026-11-30T01:00:00Z', [], '2026-11-30T05:30:00.000Z'],
    ['a freeze not under calendars fails: cannot tell', [{ freeze: 'nope' }], '2026-11-30T01:00:00Z', [], null],
    ['a freeze the emergency track overrides does not hold it', [{ freeze: 'spring' }, { window: 'mornings' }], '2026-11-30T01:00:00Z', [], '2026-11-30T08:00:00.000Z', 50, 'emergency'],
    ['no gates: now', [], '2026-11-30T01:00:00Z', [], '2026-11-30T01:00:00.000Z'],
  ])('%s', (_name, gates, now, events, expected, limit = 50, track = 'normal') => {
    const at = gates.map((gate) => gateAt(gate, WHERE));
    const found = clearAt(at, input({ config: CONFIG, events, now: new Date(now), release: { initiator: INITIATOR, track } }), limit);
    expect(found?.toISOString() ?? null).toBe(expected);
  });
});
