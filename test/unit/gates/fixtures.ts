import { configSchema, type Config, type Gate } from '../../../src/core/config/schema.js';
import { gatesAt, type GateAt } from '../../../src/core/gates/address.js';
import type { GateInput } from '../../../src/core/gates/evaluate.js';
import type { EventType, LedgerEvent } from '../../../src/core/lifecycle/events.js';

export const config = (raw: Record<string, unknown> = {}): Config => configSchema.parse(raw);

export const INITIATOR = { name: 'Ivy', email: 'ivy@example.com' };

export const input = (extra: Partial<GateInput> = {}): GateInput => ({
  events: [],
  now: new Date('2026-11-21T10:00:00Z'),
  checks: new Map(),
  config: config(),
  release: { initiator: INITIATOR, track: 'normal' },
  ...extra,
});

export const gateAt = (gate: Gate, where = 'phases.test.exit'): GateAt => {
  const [, owner, side] = where.split('.') as [string, string, 'entry' | 'exit'];
  const env = where.startsWith('environments.') ? owner : null;
  return gatesAt(where, env ? 'deploy' : (owner as GateAt['phase']), env, side, [gate])[0] as GateAt;
};

let n = 0;
export const event = (type: EventType, at: string, email: string, data: Record<string, unknown>): LedgerEvent => ({
  v: 1,
  id: `e${++n}`,
  type,
  release: '1.2.0',
  at,
  actor: { name: email.split('@')[0] as string, email },
  data: { plan: 'p1', ...data },
});
