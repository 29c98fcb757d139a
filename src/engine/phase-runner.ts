import type { LedgerEvent } from '../core/lifecycle/events.js';
import { phaseState, type PhaseAttempt, type ReleaseView } from '../core/lifecycle/fold.js';
import { phaseLabel, type PhaseRef } from '../core/lifecycle/phases.js';
import { PreconditionError, RelmgrError } from '../errors.js';
import type { GateAt } from '../core/gates/address.js';
import { envLock, envLockedError } from './env-lock.js';
import { holdAt, recordPassed, type GateKeeper } from './gate-keeper.js';
import { GatesHeld } from './gates-held.js';
import { checkResumable, eventWhere, failure, isGate, runSteps, stepFailed, type PhaseItem, type ResumeDecision } from './phase-steps.js';
import type { RunningPhase } from './liveness.js';
import type { EventWhere, Session } from './session.js';
import type { StepRunContext } from './steps.js';

/** What a phase changes after its steps and exit gates passed (cut: files, commit, tag, push). */
export interface PhaseEffects {
  /** Before anything is recorded: every problem at once (exit 3), or nothing. */
  check(resumeFrom: PhaseAttempt | null): Promise<void>;
  /** After phase.started, before the steps: what the steps may read (the release notes; a hotfix's branch). */
  prepare(): Promise<void>;
  /** The phase stopped after `prepare` without applying (a failed step, a gate that holds, an error): undo what `prepare` changed in git. */
  discard?(): Promise<void>;
  /** Applies and records each effect; the phase's result. On failure it undoes what it did and throws EffectsFailed. */
  apply(where: EventWhere): Promise<Record<string, unknown>>;
}

/** Effects that failed and were undone: the error to show, and what phase.failed records of it. */
export class EffectsFailed extends Error {
  constructor(
    readonly error: RelmgrError,
    readonly recorded: Record<string, unknown>,
  ) {
    super(error.message);
  }
}

export interface PhaseRun {
  ref: PhaseRef;
  release: ReleaseView;
  session: Session;
  steps: readonly PhaseItem[];
  stepContext: StepRunContext;
  /** Where gates are evaluated and waited at (the release config, the clock, --wait, prompts). */
  keeper: GateKeeper;
  /** The attempt this run continues (failed or interrupted), and what to do with a step it left running. */
  resume: { previous: PhaseAttempt; decision: ResumeDecision | undefined } | null;
  /** What phase.started records the run was started with (`push: false`). */
  options: Record<string, unknown>;
  effects: PhaseEffects | null;
  /**
   * A deploy or rollback of an environment: recorded with the phase's end as `deploy.succeeded`,
   * `rollback.failed`… (`data`: env, production, to), the history of environments is read from these.
   */
  summary: { kind: 'deploy' | 'rollback'; data: Record<string, unknown> } | null;
  /** Once the phase is recorded as started, before anything else: where its step logs go. */
  started(): Promise<void>;
}

/**
 * Records the phase's start as a decision every machine sees: when another machine started the same
 * (phase, environment) first, this one refuses before running anything (E_PHASE_RUNNING); a deploy or
 * rollback refuses while another one runs in its environment, of any release (E_ENV_LOCKED, exit 10). A ledger
 * that cannot be shared (the remote is down) does not stop the phase: it is recorded here, with a warning.
 */
async function start(run: PhaseRun): Promise<string> {
  const { session, release, ref } = run;
  const known = phaseState(release, ref).attempts.length;
  const label = phaseLabel(ref);
  let event: LedgerEvent | undefined;
  try {
    await session.decide(`the start of the ${label} phase of ${release.version}`, (state) => {
      const now = state.releases.find((r) => r.version === release.version && r.plannedAt === release.plannedAt);
      if (now?.abandoned) throw new PreconditionError('E_STATE', `release ${release.version} was abandoned meanwhile, on another machine`, { hint: 'see why with: relmgr status --release ' + release.version });
      // The environment's lock: a deploy or rollback of any release that runs there (no end event) holds it.
      const lock = ref.env !== null && (ref.phase === 'deploy' || ref.phase === 'rollback') ? envLock(state, ref.env) : null;
      if (lock !== null && ref.env !== null) throw envLockedError(lock, ref.env, run.keeper.again);
      const other = now ? phaseState(now, ref).attempts[known] : undefined;
      if (other) {
        throw new PreconditionError('E_PHASE_RUNNING', `the ${label} phase of ${release.version} was started first by ${other.actor.name} <${other.actor.email}>${other.host ? ` on ${other.host}` : ''}, at the same time: it runs there, not here (nothing was changed)`, {
          hint: 'wait for it to finish, then see what comes next with: relmgr status',
        });
      }
      // Stamped after whatever was just read, so it sorts after another machine's events.
      event = session.event('phase.started', release.version, { resumed: run.resume !== null, ...run.options, host: session.here.host, pid: session.here.pid }, eventWhere(ref));
      return [event];
    });
  } catch (error) {
    // Refused (another machine started first), or not even recorded here: stop. Recorded here but not shared: go on.
    const recordedHere = session.state.releases.some((r) => phaseState(r, ref).attempts.some((a) => a.id === event?.id));
    if (!(error instanceof RelmgrError) || error.code === 'E_PHASE_RUNNING' || error.code === 'E_ENV_LOCKED' || error.code === 'E_STATE' || !recordedHere) throw error;
    session.warn(`${error.message}; the phase goes on here`);
  }
  return (event as LedgerEvent).id;
}

/**
 * A run another machine took over (`resume --takeover`, believing this one gone) stops at the next
 * step boundary instead of running on beside it: what it recorded stays in its own attempt.
 */
function stillOurs(run: PhaseRun, attempt: string): void {
  const { session, release, ref } = run;
  const now = session.state.releases.find((r) => r.version === release.version && r.plannedAt === release.plannedAt);
  const mine = now ? phaseState(now, ref).attempts.find((a) => a.id === attempt) : undefined;
  if (!mine?.interruption?.takeover) return;
  const taker = now ? phaseState(now, ref).attempts.at(-1) : undefined;
  const who = taker && taker !== mine ? ` by ${taker.actor.name} <${taker.actor.email}>${taker.host ? ` on ${taker.host}` : ''}` : '';
  throw new PreconditionError('E_TAKEN_OVER', `the ${phaseLabel(ref)} phase of ${release.version} was taken over${who}: this run stops here, at a step boundary`, {
    hint: 'nothing to do here; see how the release goes on with: relmgr status',
  });
}

/**
 * Runs any phase of the lifecycle, fresh or resumed: checks → phase.started → entry gates, steps and
 * exit gates (journaled, resumable) → effects → phase.succeeded. A failed step records phase.failed
 * and throws; effects that fail are undone, recorded, and thrown. The session holds the lock.
 */
export async function runPhase(run: PhaseRun): Promise<Record<string, unknown>> {
  const { keeper } = run;
  const previous = run.resume?.previous ?? null;
  checkResumable(previous, run.steps, run.resume?.decision);
  await run.effects?.check(previous);
  // The gates ahead of the first step that still has to run are waited at before anything starts:
  // a phase that waits for an approval records no attempt, however often a CI job asks.
  const passed = passedBefore(run, previous);
  const { ahead, later } = gatesAhead(run.steps, previous, passed);
  if (ahead.length > 0) await holdAt(keeper, ahead, eventWhere(run.ref), later);
  const attempt = await start(run);
  const where = eventWhere(run.ref, attempt);
  await run.started();
  await run.effects?.prepare();
  try {
    return await afterPrepare(run, attempt, where, passed);
  } catch (error) {
    // Effects that failed undid themselves; anything else that stopped the phase leaves git as it was found.
    if (!(error instanceof RelmgrError && error.code === 'E_CUT_FAILED')) await run.effects?.discard?.();
    throw error;
  }
}

/** The steps and gates of a phase, then its effects: what runs once the phase is recorded as started and prepared. */
async function afterPrepare(run: PhaseRun, attempt: string, where: EventWhere, passed: (at: GateAt) => boolean): Promise<Record<string, unknown>> {
  const { session, release, keeper } = run;
  const previous = run.resume?.previous ?? null;
  const ours = (): void => stillOurs(run, attempt);
  const gate = async ({ gate: at }: { gate: GateAt }, index: number): Promise<void> => {
    if (passed(at)) return;
    // The gates after it are reported with it when it holds (not reached: never opened).
    const later = run.steps.slice(index + 1).flatMap((item) => (isGate(item) && !passed(item.gate) ? [item.gate] : []));
    try {
      await recordPassed(keeper, await holdAt(keeper, [at], where, later), where);
    } catch (error) {
      if (!(error instanceof GatesHeld)) throw error;
      // The steps before it ran: running the phase again continues from this gate.
      const gates = error.gates.map((g) => ({ where: g.at.where, gate: g.at.id, status: g.state.status, reason: g.state.reason }));
      await session.record(session.event('phase.gated', release.version, { outcome: error.outcome, gates }, where));
      throw error;
    }
  };
  const { failed } = await runSteps({ session, release, ref: run.ref, attempt, ours, steps: run.steps, previous, decision: run.resume?.decision, stepContext: run.stepContext, gate });
  if (failed) {
    const detail = failed.result.status === 'timed_out' ? 'timed out' : `failed (exit ${failed.result.exitCode ?? failed.result.signal ?? '?'})`;
    const error = stepFailed(phaseLabel(run.ref), failed.result.name, detail, failed.result.tail, failed.result.logFile);
    await session.record(session.event('phase.failed', release.version, { error: `step ${failed.result.name} ${detail}`, step: failed.index, ...failure(error) }, where), ...summary(run, 'failed', where));
    throw error;
  }
  // Steps and check gates ran; the other gates were evaluated, not run.
  let result: Record<string, unknown> = { steps: run.steps.filter((item) => !isGate(item)).length };
  if (run.effects) {
    // Before changing the repository: the shared ledger may say another machine took this run over.
    await session.flush();
    ours();
    try {
      result = await run.effects.apply(where);
    } catch (error) {
      if (!(error instanceof EffectsFailed)) throw error;
      await session.record(session.event('phase.failed', release.version, error.recorded, where));
      throw error.error;
    }
  }
  if (run.summary) result = { ...result, ...run.summary.data };
  await session.record(session.event('phase.succeeded', release.version, result, where), ...summary(run, 'succeeded', where));
  return result;
}

/** The deploy or rollback summary recorded with the phase's end, if the phase has one. */
function summary(run: PhaseRun, outcome: 'succeeded' | 'failed', where: EventWhere): LedgerEvent[] {
  if (!run.summary) return [];
  return [run.session.event(`${run.summary.kind}.${outcome}`, run.release.version, run.summary.data, where)];
}

/**
 * Whether a gate already passed in the attempts a resumed run continues (the attempt resumed, and the
 * ones it resumed in turn): once passed there, a gate is not asked again — a half-done phase is
 * finished, not held by a freeze that began since. A fresh run asks every gate.
 */
function passedBefore(run: PhaseRun, previous: PhaseAttempt | null): (at: GateAt) => boolean {
  const attempts = phaseState(run.release, run.ref).attempts;
  const chain = new Set<string>();
  for (let i = previous ? attempts.indexOf(previous) : -1; i >= 0; i--) {
    const attempt = attempts[i] as PhaseAttempt;
    chain.add(attempt.id);
    if (attempt.options.resumed !== true) break;
  }
  const events = run.release.gateEvents.filter((e) => (e.type === 'gate.passed' || e.type === 'gate.skipped') && chain.has(String(e.data.phaseAttempt)));
  return (at) => events.some((e) => e.data.where === at.where && e.data.gate === at.id);
}

/** The gates before the first step that still has to run (`ahead`), and the gates after it (`later`), not counting gates passed before. */
function gatesAhead(items: readonly PhaseItem[], previous: PhaseAttempt | null, passed: (at: GateAt) => boolean): { ahead: GateAt[]; later: GateAt[] } {
  const ahead: GateAt[] = [];
  const later: GateAt[] = [];
  let reached = false;
  for (const [index, item] of items.entries()) {
    if (isGate(item)) {
      if (!passed(item.gate)) (reached ? later : ahead).push(item.gate);
      continue;
    }
    const done = previous?.steps.find((s) => s.index === index);
    if (!done || (done.state !== 'succeeded' && done.state !== 'skipped')) reached = true;
  }
  return { ahead, later };
}

/**
 * This machine takes over a run that is gone for good on another host (`--takeover`): that attempt
 * ends interrupted, as taken over, by whom — recorded before anything else happens.
 */
export async function recordTakeover(session: Session, release: ReleaseView, running: Pick<RunningPhase, 'attempt' | 'ref'>): Promise<void> {
  const { attempt, ref } = running;
  const data = { takeover: true, host: attempt.host, pid: attempt.pid, by: session.here.host };
  await session.record(session.event('phase.interrupted', release.version, data, eventWhere(ref, attempt.id)));
}
