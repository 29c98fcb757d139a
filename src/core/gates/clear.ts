import type { GateAt } from './address.js';
import { evaluateGate } from './evaluate.js';
import type { LedgerEvent } from '../lifecycle/events.js';
import type { GateInput, GateState } from './state.js';

const TIME_KINDS: readonly GateAt['kind'][] = ['window', 'freeze', 'wait'];

/**
 * The first instant at which every window, freeze and wait gate among `gates` passes at once (other
 * kinds are left out; a skipped gate does not hold it): `input.now` when they already do. Steps to the
 * latest `changesAt` among the pending ones, evaluates them all again there (a window may have closed,
 * a freeze started), and repeats, at most `limit` times. Null when it cannot tell: a gate that failed,
 * a pending one with no `changesAt` (a wait not reached yet), or no instant within the limit.
 */
export function clearAt(gates: readonly GateAt[], input: GateInput, limit = 50): Date | null {
  const timed = gates.filter((at) => TIME_KINDS.includes(at.kind));
  let now = input.now;
  let events = input.events;
  for (let step = 0; step <= limit; step++) {
    let states = timed.map((at) => evaluateGate(at, { ...input, events, now }));
    // A wait not reached yet starts when every time gate before it passes (gates are reached in order).
    const reached = timed.filter((at, i) => at.kind === 'wait' && !opened(events, at) && states.slice(0, i).every(settled));
    if (reached.length > 0) {
      events = [...events, ...reached.map((at) => openedAt(at, now, input.events))];
      states = timed.map((at) => evaluateGate(at, { ...input, events, now }));
    }
    const held = states.filter((s) => !settled(s));
    if (held.length === 0) return now;
    if (step === limit) return null;
    // A wait behind a gate still held starts later: the gates before it say when.
    const changes = timed.flatMap((at, i) => {
      const s = states[i] as GateState;
      if (settled(s) || (at.kind === 'wait' && !opened(events, at))) return [];
      return [s.status === 'pending' && s.changesAt ? Date.parse(s.changesAt) : NaN];
    });
    if (changes.length === 0 || changes.some((t) => Number.isNaN(t))) return null;
    const next = Math.max(...changes);
    // A state that does not move forward would loop: say we cannot tell.
    if (next <= now.getTime()) return null;
    now = new Date(next);
  }
  return null;
}

const settled = (s: { status: string }): boolean => s.status === 'passed' || s.status === 'skipped';

const opened = (events: readonly LedgerEvent[], at: GateAt): boolean => events.some((e) => e.type === 'gate.opened' && e.data.where === at.where && e.data.gate === at.id);

/** The gate.opened a wait would get when reached at `now` (for the simulation only: never recorded). */
function openedAt(at: GateAt, now: Date, events: readonly LedgerEvent[]): LedgerEvent {
  const plan = events.find((e) => typeof e.data.plan === 'string')?.data.plan;
  return { v: 1, id: 'simulated', type: 'gate.opened', release: '', at: now.toISOString(), actor: { name: '', email: '' }, data: { plan, where: at.where, gate: at.id } };
}
