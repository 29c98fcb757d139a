import type { GateAt } from './address.js';
import { evaluateGate } from './evaluate.js';
import type { GateInput } from './state.js';

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
  for (let step = 0; step <= limit; step++) {
    const states = timed.map((at) => evaluateGate(at, { ...input, now }));
    const held = states.filter((s) => s.status !== 'passed' && s.status !== 'skipped');
    if (held.length === 0) return now;
    if (step === limit) return null;
    const changes = held.map((s) => (s.status === 'pending' && s.changesAt ? Date.parse(s.changesAt) : NaN));
    if (changes.some((t) => Number.isNaN(t))) return null;
    const next = Math.max(...changes);
    // A state that does not move forward would loop: say we cannot tell.
    if (next <= now.getTime()) return null;
    now = new Date(next);
  }
  return null;
}
