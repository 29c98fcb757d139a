import type { Config } from '../core/config/schema.js';
import { gateLabel, type GateAt, humanGate } from '../core/gates/address.js';
import { clearAt } from '../core/gates/clear.js';
import { evaluateGate, type GateInput, type GateState } from '../core/gates/evaluate.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { recordOn, type GateChoice } from './decisions.js';
import { gateCommand, heldError, utcMinute, type Evaluated, type GatesHeld, type HeldTiming } from './gates-held.js';
import type { EventWhere, Session } from './session.js';

export type { Evaluated };

/** What a person at a terminal answered about a human gate. */
export type GateAnswer =
  | { kind: 'approval'; decision: 'approve' | 'reject'; comment?: string }
  | { kind: 'checklist'; answers: { item: string; answer: 'yes' | 'no'; evidence?: string; comment?: string }[] }
  | { kind: 'later' };

export interface GateQuestion {
  release: ReleaseView;
  gate: Evaluated;
  /** The other gates of the boundary, evaluated: the ones already passed, who approved. */
  others: Evaluated[];
}

/** How a command waits for gates: answer at once (CI), poll (--wait), or ask the person (terminal). */
export interface GateWatch {
  /** `--wait`: look again until this instant (ms since the epoch); null answers at once. */
  until: number | null;
  /** How long to sleep between two looks (a gate that changes sooner is looked at then). */
  pollMs: number;
  /** At a terminal: asks the person about a human gate they may decide; null never asks. */
  ask: ((question: GateQuestion) => Promise<GateAnswer>) | null;
  /**
   * A line (or lines) for people, on stderr. `about` names what it is about apart from its wording
   * (the gates and their states): a line about the same thing, only reworded (a countdown), may be
   * left out of a CI log for a while.
   */
  say(line: string, about?: string): void;
  /** Progress: the gates of a boundary that passed (or were skipped), each told once per (phase, environment). */
  passed?(states: readonly Evaluated[], where: EventWhere): void;
  /** Progress while --wait polls: how long it has waited, of how long it may. */
  tick?(waitedMs: number, ofMs: number): void;
  /** The waiting is over (passed, held, or stopped): a live line is cleared. */
  settle?(): void;
  /** A dry run: gates that are not satisfied are collected here (by gate, the latest state) and the run goes on, recording nothing. */
  preview?: Map<string, Evaluated>;
  /** The command that runs the phase again, for hints (`relmgr release` on its walk); default: the phase's own command. */
  again?: string;
}

export interface GateKeeper {
  session: Session;
  config: Config;
  /** The release as the session folds it now (plans are told apart by plannedAt). */
  release(): ReleaseView;
  clock(): Date;
  sleep(ms: number): Promise<void>;
  watch: GateWatch;
  /** What a person runs to go on once the gates allow it: `relmgr cut`. */
  again: string;
}

const opened = (release: ReleaseView, at: GateAt): boolean =>
  release.gateEvents.some((e) => e.type === 'gate.opened' && e.data.where === at.where && e.data.gate === at.id);

/** Evaluates gates for the release as the ledger has it now. */
export function evaluate(keeper: GateKeeper, gates: readonly GateAt[]): Evaluated[] {
  const input = gateInput(keeper);
  return gates.map((at) => ({ at, state: evaluateGate(at, input) }));
}

function gateInput(keeper: GateKeeper): GateInput {
  const release = keeper.release();
  return { events: release.gateEvents, now: keeper.clock(), checks: new Map(), config: keeper.config, release };
}

/** Now, and when the time gates among `gates` clear. */
export function heldTiming(keeper: GateKeeper, gates: readonly Evaluated[]): HeldTiming {
  const input = gateInput(keeper);
  return { now: input.now, clearsAt: clearAt(gates.map((s) => s.at), input) };
}

/** The gates that hold the phase (these and the later ones not satisfied), with when the time gates among them clear. */
function held(keeper: GateKeeper, unmet: readonly Evaluated[], also: readonly GateAt[]): GatesHeld {
  const all = [...unmet, ...evaluate(keeper, also).filter((s) => !settled(s.state))];
  return heldError(keeper.release(), all, keeper.again, heldTiming(keeper, all));
}


const settled = (state: GateState): boolean => state.status === 'passed' || state.status === 'skipped';

/**
 * Waits at gates: records when each is first reached (waits and approval timeouts count from it),
 * evaluates them, asks the person at a terminal about the human ones they may decide, and with
 * `--wait` re-fetches the ledger and looks again until they pass or the time is up. Returns the
 * gates' states once all passed (or were skipped by the emergency track); throws the held gates
 * (exit 10 pending, 11 rejected, 12 timed out) otherwise. `also` are gates further on, reported with them.
 */
export async function holdAt(keeper: GateKeeper, gates: readonly GateAt[], where: EventWhere, also: readonly GateAt[] = []): Promise<Evaluated[]> {
  try {
    const states = await waitAt(keeper, gates, where, also);
    if (keeper.watch.preview === undefined) keeper.watch.passed?.(states, where);
    return states;
  } finally {
    keeper.watch.settle?.();
  }
}

async function waitAt(keeper: GateKeeper, gates: readonly GateAt[], where: EventWhere, also: readonly GateAt[]): Promise<Evaluated[]> {
  const { session, watch } = keeper;
  let since: number | null = null;
  const asked = new Set<string>();
  let said = '';
  for (;;) {
    const states = evaluate(keeper, gates);
    // Gates are reached in order: up to the first one not satisfied. Only a reached gate is opened
    // (a wait's clock and an approval's timeout start then), never one behind a gate still pending.
    const first = states.findIndex((s) => !settled(s.state));
    const reached = first === -1 ? gates : gates.slice(0, first + 1);
    // A dry run that already met a gate holding it reaches nothing after it, as the real run would not.
    const behind = watch.preview !== undefined && watch.preview.size > 0;
    const fresh = behind ? [] : reached.filter((at) => !opened(keeper.release(), at));
    if (fresh.length > 0) {
      const release = keeper.release();
      await session.record(...fresh.map((at) => session.event('gate.opened', release.version, { plan: release.planId, where: at.where, gate: at.id }, where)));
      continue;
    }
    const unmet = states.filter((s) => !settled(s.state));
    if (unmet.length === 0) return states;
    if (watch.preview) {
      for (const s of unmet) watch.preview.set(s.at.key, s);
      return states;
    }
    const final = unmet.filter((s) => s.state.status === 'rejected' || s.state.status === 'timed_out');
    if (final.length > 0) {
      await recordFinal(keeper, final, where);
      throw held(keeper, unmet, also);
    }
    const question = watch.ask ? unmet.find((s) => mayAsk(s, session.actor.email) && !asked.has(s.at.key)) : undefined;
    if (question && watch.ask) {
      asked.add(question.at.key);
      watch.settle?.();
      const answer = await watch.ask({ release: keeper.release(), gate: question, others: states.filter((s) => s !== question) });
      if (answer.kind !== 'later') await recordAnswer(keeper, question.at, answer);
      continue;
    }
    const now = keeper.clock().getTime();
    if (watch.until === null || now >= watch.until) throw held(keeper, unmet, also);
    // The time gates clear after --wait's end: no decision can let the phase through before, so waiting would change nothing.
    const timed = unmet.filter((s) => !humanGate(s.at));
    const clears = timed.length > 0 ? clearAt(timed.map((s) => s.at), gateInput(keeper)) : null;
    if (clears !== null && clears.getTime() > watch.until) throw held(keeper, unmet, also);
    const lines = unmet.map((s) => waitingLine(s)).join('\n');
    if (lines !== said) watch.say(lines, unmet.map(waitingAbout).join('\n'));
    said = lines;
    since ??= now;
    watch.tick?.(now - since, watch.until - since);
    const soonest = Math.min(...unmet.map((s) => (s.state.changesAt ? Date.parse(s.state.changesAt) : Infinity)));
    await keeper.sleep(Math.max(1, Math.min(watch.pollMs, watch.until - now, soonest - now)));
    await session.sync();
  }
}

/**
 * Records what the person at the terminal answered, exactly as `relmgr approve`, `reject` and
 * `attest` record it (shared at once: another machine may be waiting for it).
 */
async function recordAnswer(keeper: GateKeeper, at: GateAt, answer: Exclude<GateAnswer, { kind: 'later' }>): Promise<void> {
  const choices: GateChoice[] =
    answer.kind === 'approval'
      ? [{ verb: answer.decision, comment: answer.comment }]
      : answer.answers.map((a) => ({ verb: 'attest', item: a.item, no: a.answer === 'no', evidence: a.evidence, comment: a.comment }));
  for (const choice of choices) await recordOn(keeper.session, keeper.config, keeper.release(), at, choice, keeper.clock);
}

/** A pending human gate the person running the command may decide (and has not). */
function mayAsk(s: Evaluated, email: string): boolean {
  return s.state.status === 'pending' && (s.state.waitingFor ?? []).includes(email.toLowerCase());
}

/** `… waiting: phases.build.entry approval signoff: … — relmgr approve --gate signoff`: one line per gate, while --wait polls. */
/** What a waiting line is about: the gate, its state, who may decide it and when it changes — not the wording of its reason. */
function waitingAbout(s: Evaluated): string {
  return [s.at.key, s.state.status, (s.state.waitingFor ?? []).join(','), s.state.changesAt ?? ''].join(' ');
}

function waitingLine(s: Evaluated): string {
  const command = gateCommand(s);
  // Time gates say when they change in their reason; an approval's deadline is its timeout.
  const timeout = s.at.kind === 'approval' && s.state.changesAt ? ` (times out ${utcMinute(new Date(s.state.changesAt))})` : '';
  return `… waiting: ${s.at.where} ${gateLabel(s.at)}: ${s.state.reason}${timeout}${command ? ` — ${command}` : ''}`;
}

/** A rejection or a timeout is recorded once per gate and plan: it ends the gate for this plan. */
async function recordFinal(keeper: GateKeeper, final: readonly Evaluated[], where: EventWhere): Promise<void> {
  const { session } = keeper;
  const release = keeper.release();
  const type = (s: Evaluated) => (s.state.status === 'rejected' ? 'gate.rejected' : 'gate.timed_out') as 'gate.rejected' | 'gate.timed_out';
  const fresh = final.filter((s) => !release.gateEvents.some((e) => e.type === type(s) && e.data.where === s.at.where && e.data.gate === s.at.id));
  if (fresh.length === 0) return;
  await session.record(...fresh.map((s) => session.event(type(s), release.version, { plan: release.planId, where: s.at.where, gate: s.at.id, reason: s.state.reason }, where)));
}

/** Records the gates a phase passed (or the emergency track skipped), inside its attempt. */
export async function recordPassed(keeper: GateKeeper, states: readonly Evaluated[], where: EventWhere): Promise<void> {
  const { session } = keeper;
  const release = keeper.release();
  const events = states.map((s) => {
    const base = { plan: release.planId, where: s.at.where, gate: s.at.id, reason: s.state.reason };
    if (s.state.status === 'skipped') return session.event('gate.skipped', release.version, { ...base, state: s.state.skippedState ?? 'pending', ...(s.state.overridden ? { overridden: s.state.overridden } : {}) }, where);
    return session.event('gate.passed', release.version, base, where);
  });
  if (events.length > 0) await session.record(...events);
}
