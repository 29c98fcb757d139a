import type { Context } from '../context.js';
import type { Config } from '../core/config/schema.js';
import { gateLabel, type GateAt } from '../core/gates/address.js';
import { refusal, eligibleDeciders } from '../core/gates/eligibility.js';
import { evaluateGate, type GateState } from '../core/gates/evaluate.js';
import { awaitingDecider, decideCommand, decisionsBy, findGate, findItem, pickAwaiting } from '../core/gates/lookup.js';
import type { EventType, LedgerEvent } from '../core/lifecycle/events.js';
import type { LedgerState, ReleaseView } from '../core/lifecycle/fold.js';
import { nextCommand, stoppedNext } from '../core/lifecycle/next.js';
import { PreconditionError, UsageError } from '../errors.js';
import type { Prepared } from './config.js';
import { nextWithGates, releaseGateStates } from './release-gates.js';
import { openSession, targetRelease, type Session } from './session.js';

/*
 * Recording a person's decision on a human gate: an approval, a rejection, a checklist item's
 * answer. The decider is the git identity; the decision is bound to the release's plan, its planned
 * commit, the gate and its environment, and is pushed at once so every other machine sees it. The
 * clone's lock is not taken: a person approves in a second terminal while `cut --wait` polls.
 */

export type Verb = 'approve' | 'reject' | 'attest';

export interface DecisionRequest {
  verb: Verb;
  release?: string | undefined;
  env?: string | undefined;
  /** approve/reject: the approval gate's id (optional: the one awaiting the decider). */
  gate?: string | undefined;
  /** attest: the checklist's id and the item. */
  checklist?: string | undefined;
  item?: string | undefined;
  /** attest: `--no` answers no. */
  no?: boolean | undefined;
  evidence?: string | undefined;
  comment?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface DecisionOutcome {
  release: ReleaseView;
  at: GateAt;
  /** The decision recorded (or, `already`, the one recorded before; a dry run: the one it would record). */
  event: LedgerEvent;
  /** The same decision was recorded before by this person: nothing was recorded now. */
  already: boolean;
  recorded: boolean;
  state: GateState;
  next: string;
}

/** The identical decision this person recorded before: nothing to record. */
class AlreadyDecided {
  constructor(readonly event: LedgerEvent) {}
}

const EVENT: Record<Verb, EventType> = { approve: 'approval.granted', reject: 'approval.rejected', attest: 'attestation.recorded' };

/** Where the gate stands now, for this plan. */
export function gateStanding(at: GateAt, release: ReleaseView, config: Config, now: Date): GateState {
  return evaluateGate(at, { events: release.gateEvents, now, checks: new Map(), config, release: { initiator: release.initiator, track: release.track } });
}

export async function recordDecision(ctx: Context, prepared: Prepared, request: DecisionRequest): Promise<DecisionOutcome> {
  const comment = request.comment?.trim() || undefined;
  if (request.verb === 'reject' && comment === undefined) {
    throw new UsageError('E_COMMENT_REQUIRED', 'a rejection needs a comment saying why', {
      hint: `relmgr reject${request.env ? ` --env ${request.env}` : ''}${request.gate ? ` --gate ${request.gate}` : ''} --comment "why"`,
    });
  }
  const dryRun = request.dryRun === true;
  const session = await openSession(ctx, prepared, { write: !dryRun, memory: dryRun, identity: true, release: request.release });
  try {
    return await decide(ctx, prepared.loaded.config, session, request, comment);
  } finally {
    await session.close();
  }
}

function refuseEnded(release: ReleaseView): void {
  if (release.state === 'abandoned') {
    throw new PreconditionError('E_ABANDONED', `release ${release.version} is abandoned: decisions on it are not recorded`, { hint: 'relmgr status' });
  }
}

async function decide(ctx: Context, config: Config | null, session: Session, request: DecisionRequest, comment: string | undefined): Promise<DecisionOutcome> {
  const release = targetRelease(session.state, request.release);
  refuseEnded(release);
  const email = session.actor.email;
  const now = (): Date => ctx.wallClock.now();
  if (config === null) throw new PreconditionError('E_NOTHING_TO_DECIDE', 'there is no release config: the release has no gates to decide', { hint: 'relmgr status' });
  const at = findTarget(config, release, request, email, now);
  const item = at.kind === 'checklist' ? findItem(at, request.item ?? '').id : undefined;
  return recordOn(session, config, release, at, { verb: request.verb, item, no: request.no, evidence: request.evidence, comment, again: request }, now);
}

/** One decision on one gate: what to record, and the command that records it (for hints). */
export interface GateChoice {
  verb: Verb;
  item?: string | undefined;
  no?: boolean | undefined;
  evidence?: string | undefined;
  comment?: string | undefined;
  /** The request as the person gave it, for the commands hints name. */
  again?: DecisionRequest;
}

/**
 * Records a person's decision on a gate of the release: refused (exit 3, nothing recorded) when
 * they may not decide it or decided it the other way; nothing recorded when they decided the same
 * before. Shared by `relmgr approve/reject/attest` and the prompts at a gate.
 */
export async function recordOn(session: Session, config: Config, release: ReleaseView, at: GateAt, choice: GateChoice, now: () => Date): Promise<DecisionOutcome> {
  const email = session.actor.email;
  const deciders = { initiator: release.initiator, track: release.track };
  const request: DecisionRequest = choice.again ?? { verb: choice.verb, ...(at.env !== null ? { env: at.env } : {}), ...(at.kind === 'approval' ? { gate: at.id } : { checklist: at.id, item: choice.item }), no: choice.no };
  const { item, comment } = choice;
  const refused = refusal(at, email, config, deciders);
  if (refused !== null) {
    const eligible = eligibleDeciders(at, config, deciders);
    throw new PreconditionError('E_NOT_ELIGIBLE', `${refused}: nothing was recorded`, {
      details: [`eligible for ${at.id} (${at.where}): ${eligible.join(', ') || 'nobody'}`],
      hint: eligible.length > 0 ? `ask one of them to run: ${command(at, request, item)}` : `add people to the gate in release.config.yaml; then: ${command(at, request, item)}`,
    });
  }
  const answer = choice.no === true ? 'no' : 'yes';
  const data = {
    plan: release.planId,
    commit: release.base,
    where: at.where,
    ...(at.kind === 'checklist' ? { checklist: at.id, item, answer, ...(choice.evidence ? { evidence: choice.evidence } : {}) } : { gate: at.id }),
    ...(comment !== undefined ? { comment } : {}),
  };
  const type = EVENT[choice.verb];
  let event: LedgerEvent | undefined;
  let already: LedgerEvent | undefined;
  try {
    await session.decide(`the ${describe(choice.verb)} of ${at.id} (${at.where})`, (state) => {
      // Decided on the fresh ledger: two machines deciding at once each land exactly once.
      const fresh = samePlan(state, release) ?? release;
      refuseEnded(fresh);
      const before = decisionsBy(fresh.gateEvents, at, email, item).at(-1);
      if (before) {
        if (before.type === type && (type !== 'attestation.recorded' || before.data.answer === answer)) throw new AlreadyDecided(before);
        if (at.kind === 'checklist' || at.gate.approval?.allow_change !== true) throw changeRefused(at, before, item);
      }
      // A gate that timed out, or that someone else rejected, is over for this plan: a decision would change nothing.
      const standing = gateStanding(at, fresh, config, now());
      if (standing.status === 'timed_out' || (standing.status === 'rejected' && !before)) throw gateClosed(at, fresh, standing);
      // So is every other gate of a plan a gate stopped: it never goes on.
      const stopped = releaseGateStates(config, fresh, now()).find((g) => g.at.key !== at.key && (g.state.status === 'rejected' || g.state.status === 'timed_out'));
      if (stopped) throw gateClosed(stopped.at, fresh, stopped.state, at);
      event = session.event(type, release.version, data, at.env !== null ? { env: at.env } : {});
      return [event];
    });
  } catch (error) {
    if (!(error instanceof AlreadyDecided)) throw error;
    already = error.event;
  }
  const current = samePlan(session.state, release) ?? release;
  const state = gateStanding(at, current, config, now());
  const next = nextWithGates(config, current, releaseGateStates(config, current, now()), nextCommand(current, { remote: null, config }), now());
  return { release: current, at, event: (already ?? event) as LedgerEvent, already: already !== undefined, recorded: already === undefined && session.recorded, state, next };
}

function samePlan(state: LedgerState, release: ReleaseView): ReleaseView | undefined {
  return state.releases.find((r) => r.planId === release.planId);
}

function findTarget(config: Config, release: ReleaseView, request: DecisionRequest, email: string, now: () => Date): GateAt {
  if (request.verb === 'attest') return findGate(config, 'checklist', request.checklist ?? '', request.env);
  if (request.gate !== undefined) return findGate(config, 'approval', request.gate, request.env);
  const found = awaitingDecider(config, request.env, email, release, (at) => gateStanding(at, release, config, now()).status);
  return pickAwaiting(found, email, request.verb);
}

const describe = (verb: Verb): string => (verb === 'approve' ? 'approval' : verb === 'reject' ? 'rejection' : 'attestation');

/** The command this person (or another) runs for the same decision. */
function command(at: GateAt, request: DecisionRequest, item: string | undefined): string {
  if (at.kind === 'checklist') return `relmgr attest${at.env !== null ? ` --env ${at.env}` : ''} --checklist ${at.id} --item ${item ?? '<item>'}${request.no ? ' --no' : ''}`;
  return decideCommand(at, request.verb === 'reject' ? 'reject' : 'approve') + (request.verb === 'reject' ? ' --comment "why"' : '');
}

function gateClosed(at: GateAt, release: ReleaseView, state: GateState, decided?: GateAt): PreconditionError {
  const how = state.status === 'timed_out' ? 'timed out' : 'was rejected';
  const on = decided ? ` (${gateLabel(decided)} will never be met for this plan)` : '';
  return new PreconditionError('E_GATE_CLOSED', `${gateLabel(at)} (${at.where}) of ${release.version} ${how}: ${state.reason}; a decision now would change nothing${on}, and nothing was recorded`, {
    hint: `${stoppedNext(release)} (see who decided what with: relmgr status)`,
  });
}

function changeRefused(at: GateAt, before: LedgerEvent, item: string | undefined): PreconditionError {
  const what = before.type === 'approval.granted' ? 'approved' : before.type === 'approval.rejected' ? 'rejected' : `answered ${String(before.data.answer)} to item ${item ?? ''} of`;
  const change = at.kind === 'approval' ? ' (the gate would need allow_change: true)' : '';
  return new PreconditionError('E_DECIDED', `you ${what} ${at.id} (${at.where}) on ${before.at}, and a decision is not changed${change}: nothing was recorded`, {
    hint: 'relmgr status',
  });
}
