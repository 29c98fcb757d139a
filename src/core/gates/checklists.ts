import type { GateAt } from './address.js';
import { eligibleDeciders } from './eligibility.js';
import type { GateDecision, GateInput, GateState } from './state.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A checklist gate: every required item attested 'yes' by an eligible person; any eligible 'no' rejects it. */
export function evaluateChecklist(at: GateAt, input: GateInput): GateState {
  const checklist = at.gate.checklist;
  if (!checklist) return { status: 'failed', reason: `${at.id} is not a checklist gate` };
  const eligible = new Set(eligibleDeciders(at, input.config, input.release));
  const items = new Map(checklist.items.map((item) => [item.id, item]));
  const events = input.events.filter((e) => e.type === 'attestation.recorded' && e.data.where === at.where && e.data.checklist === at.id);
  const decisions: GateDecision[] = events.map((e) => {
    const item = text(e.data.item);
    const comment = text(e.data.comment);
    const evidence = text(e.data.evidence);
    const ignored = !eligible.has(e.actor.email.toLowerCase())
      ? `not among the people who may attest checklist ${at.id}`
      : item === undefined || !items.has(item)
        ? `not an item of checklist ${at.id}`
        : undefined;
    return {
      decision: e.data.answer === 'no' ? 'answered no' : 'attested',
      by: e.actor,
      at: e.at,
      ...(item !== undefined ? { item } : {}),
      ...(evidence !== undefined ? { evidence } : {}),
      ...(comment !== undefined ? { comment } : {}),
      ...(ignored ? { ignored } : {}),
    };
  });
  const counted = decisions.filter((d) => !d.ignored);
  const waitingFor = [...eligible].sort();
  const noes = counted.filter((d) => d.decision === 'answered no');
  if (noes.length > 0) {
    const why = noes.map((d) => `item ${d.item} answered no by ${d.by.email}${d.comment ? `: ${d.comment}` : ''}`);
    return { status: 'rejected', reason: why.join('; '), decisions };
  }
  const attested = new Set(counted.filter((d) => d.decision === 'attested').map((d) => d.item));
  const missing = checklist.items.filter((item) => item.required !== false && !attested.has(item.id));
  if (missing.length === 0) return { status: 'passed', reason: `checklist ${at.id}: every required item attested`, decisions };
  const who = [checklist.who].flat().join('/');
  const people = waitingFor.length > 0 ? waitingFor.join(', ') : 'nobody is eligible';
  const list = missing.map((item) => `${item.id} (${item.text})`).join(', ');
  return { status: 'pending', reason: `waiting for ${missing.length === 1 ? 'item' : 'items'} ${list} of checklist ${at.id}, attested by ${who} (${people})`, waitingFor, decisions };
}
