import { parseDuration } from '../duration.js';
import type { LedgerEvent } from '../lifecycle/events.js';
import type { GateAt } from './address.js';
import { approvalRules, eligibleDeciders, type ApprovalRule } from './eligibility.js';
import type { GateDecision, GateInput, GateState } from './state.js';
import { eligiblePeople } from './ids.js';

const DEFAULT_TIMEOUT = '72h';

/** The first `gate.opened` of this gate in the plan: waits and approval timeouts count from it. */
export function openedAt(at: GateAt, events: readonly LedgerEvent[]): Date | null {
  const opened = events.find((e) => e.type === 'gate.opened' && e.data.where === at.where && e.data.gate === at.id);
  return opened ? new Date(opened.at) : null;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const ruleName = (rule: ApprovalRule): string => [rule.from].flat().join('/');

/**
 * The largest assignment of approvers to rule slots (a rule of `min` n has n slots), one slot per
 * person: simple augmenting paths, the sizes are tiny. Returns, per rule, the people counted for it.
 */
export function assignApprovers(slotsOf: readonly Set<string>[], mins: readonly number[], approvers: readonly string[]): string[][] {
  const slots = mins.flatMap((min, rule) => Array.from({ length: min }, () => rule));
  const holder: (string | null)[] = slots.map(() => null);
  const place = (who: string, seen: Set<number>): boolean => {
    for (let s = 0; s < slots.length; s++) {
      if (seen.has(s) || !slotsOf[slots[s] as number]?.has(who)) continue;
      seen.add(s);
      const current = holder[s];
      if (current === null || current === undefined || place(current, seen)) {
        holder[s] = who;
        return true;
      }
    }
    return false;
  };
  for (const who of approvers) place(who, new Set());
  return mins.map((_, rule) => holder.filter((who, s): who is string => who !== null && slots[s] === rule));
}

/** `a`, `a or b`, `a, b or c`. */
const either = (people: readonly string[]): string => (people.length > 1 ? `${people.slice(0, -1).join(', ')} or ${people[people.length - 1]}` : (people[0] ?? ''));

/**
 * Who could still complete a pending approval: an undecided eligible person is in it iff adding their
 * approval raises the matched count (the matching may move someone already counted to another rule).
 */
function couldComplete(ruleSets: readonly Set<string>[], mins: readonly number[], approvers: readonly string[], undecided: readonly string[]): string[] {
  const matched = (people: readonly string[]): number => assignApprovers(ruleSets, mins, people).flat().length;
  const now = matched(approvers);
  return undecided.filter((who) => matched([...approvers, who]) > now).sort();
}

/**
 * An approval gate: every rule met by distinct eligible people, any eligible rejection rejects it, the
 * timeout counts from gate.opened. Decisions recorded at or after the timeout do not count: a timed-out
 * gate stays timed out for this plan.
 */
export function evaluateApproval(at: GateAt, input: GateInput): GateState {
  const approval = at.gate.approval;
  if (!approval) return { status: 'failed', reason: `${at.id} is not an approval gate` };
  const { config, release } = input;
  const rules = approvalRules(at, config, release);
  const eligible = new Set(eligibleDeciders(at, config, release));
  const initiator = release.initiator.email.toLowerCase();
  const events = input.events.filter((e) => (e.type === 'approval.granted' || e.type === 'approval.rejected') && e.data.where === at.where && e.data.gate === at.id);
  const opened = openedAt(at, input.events);
  const timeout = approval.timeout ?? DEFAULT_TIMEOUT;
  const deadline = opened ? new Date(opened.getTime() + (parseDuration(timeout) ?? 0)) : null;
  const late = (e: LedgerEvent): boolean => deadline !== null && new Date(e.at) >= deadline;
  // Which decision of each person counts: their latest in time with allow_change, otherwise their first.
  const counted = new Map<string, LedgerEvent>();
  for (const e of events) {
    const who = e.actor.email.toLowerCase();
    if (eligible.has(who) && !late(e) && (approval.allow_change || !counted.has(who))) counted.set(who, e);
  }
  const decisions: GateDecision[] = events.map((e) => {
    const who = e.actor.email.toLowerCase();
    const comment = typeof e.data.comment === 'string' ? e.data.comment : undefined;
    const ignored =
      who === initiator && !approval.allow_self
        ? 'the release initiator may not approve it (allow_self is off)'
        : !eligible.has(who)
          ? `not among the people who may decide approval ${at.id}`
          : late(e)
            ? `recorded after the approval timed out at ${deadline ? utc(deadline) : ''}`
            : counted.get(who) !== e
              ? approval.allow_change
                ? 'superseded by a later decision'
                : 'a first decision stands (allow_change is off)'
              : undefined;
    return { decision: e.type === 'approval.granted' ? 'approved' : 'rejected', by: e.actor, at: e.at, ...(comment !== undefined ? { comment } : {}), ...(ignored ? { ignored } : {}) };
  });
  const rejections = [...counted.values()].filter((e) => e.type === 'approval.rejected');
  if (rejections.length > 0) {
    const who = rejections.map((e) => `${e.actor.email}${typeof e.data.comment === 'string' && e.data.comment ? `: ${e.data.comment}` : ''}`);
    return { status: 'rejected', reason: `rejected by ${who.join('; ')}`, decisions };
  }
  const approvers = [...counted].filter(([, e]) => e.type === 'approval.granted').map(([who]) => who);
  const ruleSets = rules.map((rule) => {
    const { people } = eligiblePeople(config.groups, rule.from);
    return new Set([...people].filter((p) => eligible.has(p)));
  });
  const mins = rules.map((r) => r.min);
  const assigned = assignApprovers(ruleSets, mins, approvers);
  const missingOf = rules.map((rule, i) => rule.min - (assigned[i]?.length ?? 0));
  if (missingOf.every((m) => m <= 0)) return { status: 'passed', reason: `approved by ${approvers.join(', ')}`, decisions };
  const waitingFor = couldComplete(ruleSets, mins, approvers, [...eligible].filter((who) => !counted.has(who)));
  const approvedBy = approvers.length > 0 ? `; approved by ${approvers.join(', ')}` : '';
  // Per unmet rule, the undecided people of that rule: exact unless the matching could move someone already counted.
  const listed = new Set<string>();
  const unmet = rules.flatMap((rule, i) => {
    const missing = missingOf[i] ?? 0;
    if (missing <= 0) return [];
    const can = [...(ruleSets[i] ?? [])].filter((p) => !counted.has(p)).sort();
    can.forEach((p) => listed.add(p));
    return [`${plural(missing, 'approval')} from ${ruleName(rule)} (${can.length > 0 ? can.join(', ') : 'nobody left who may'})`];
  });
  const total = missingOf.reduce((sum, m) => sum + Math.max(0, m), 0);
  const rulesText = rules.map((rule) => `${rule.min} from ${ruleName(rule)}`).join(', ');
  const waiting = waitingFor.every((p) => listed.has(p))
    ? `waiting for ${unmet.join(' and ')}${approvedBy}`
    : `waiting for ${total} more ${total === 1 ? 'approval' : 'approvals'}: ${either(waitingFor)} (rules: ${rulesText}${approvedBy})`;
  const extra = { waitingFor, decisions };
  if (!opened || !deadline) return { status: 'pending', reason: waiting, ...extra };
  if (input.now >= deadline) {
    const still = waiting.replace(/^waiting for /, 'still missing ');
    return { status: 'timed_out', reason: `no approval within ${timeout} of ${utc(opened)} (timed out at ${utc(deadline)}; decisions after that do not count): ${still}`, decisions };
  }
  return { status: 'pending', reason: waiting, changesAt: deadline.toISOString(), ...extra };
}

/** `2026-11-29 23:34:34 UTC`: a ledger instant for people. */
function utc(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
