import type { Config, Gate, Step } from '../core/config/schema.js';
import { gatesAt, type GateAt } from '../core/gates/address.js';
import { checkStepName, gateChecks } from '../core/gates/plan.js';
import type { GateSet, PhaseDef, PhaseRef } from '../core/lifecycle/phases.js';
import type { PhaseAttempt, ReleaseView } from '../core/lifecycle/fold.js';
import { PreconditionError, RelmgrError } from '../errors.js';
import { redactSecrets, secretValues } from '../core/redact.js';
import type { EventWhere, Session } from './session.js';
import { runStep, stepName, type StepResult, type StepRunContext, type StepSpec } from './steps.js';

/** What to do with a step that was running when relmgr stopped and is not idempotent. */
export type ResumeDecision = 'rerun' | 'assume-done';

export interface PhaseStep {
  spec: StepSpec;
  /** Check gates run like steps (with retries, and `stable_for` when set). */
  check?: { interval: number; stableFor: number };
  gate?: undefined;
}

/** A gate that is evaluated, not run: approval, checklist, window, freeze, wait (and a check the emergency track skips). */
export interface PhaseGate {
  gate: GateAt;
  spec?: undefined;
}

/** What a phase goes through, in order: its entry gates, its steps, its exit gates. */
export type PhaseItem = PhaseStep | PhaseGate;

export const isGate = (item: PhaseItem): item is PhaseGate => item.gate !== undefined;

export function toStepSpec(step: Step): StepSpec {
  return { ...step, retries: step.retries ?? 0, idempotent: step.idempotent ?? false };
}

/** Where a phase's events say they happened: the phase, and its environment if it has one. */
export const eventWhere = (ref: PhaseRef, attempt?: string): EventWhere => ({ phase: ref.phase, ...(ref.env === null ? {} : { env: ref.env }), ...(attempt ? { attempt } : {}) });

/**
 * What a phase goes through, in order: its entry gates, its steps, its exit gates. Check gates run
 * like steps; every other gate is evaluated where it stands (`skipped(at)`: a check the emergency
 * track skips is evaluated — and recorded as skipped — instead of run).
 */
export function phaseSteps(def: PhaseDef, config: Config | null, env: string | null, skipped: (at: GateAt) => boolean = () => false): PhaseItem[] {
  const gates = (sets: readonly GateSet[]): PhaseItem[] =>
    sets.flatMap((set) =>
      gatesAt(set.where, set.phase, set.env, set.side, set.gates).flatMap((at): PhaseItem[] => (at.kind === 'check' && !skipped(at) ? gateSteps(config, [at.gate], set.where) : [{ gate: at }])),
    );
  return [...gates(def.entry(config, env)), ...def.steps(config, env).map((step) => ({ spec: toStepSpec(step) })), ...gates(def.exit(config, env))];
}

/** Check gates as steps: retried after their interval, and steadily for `stable_for`. */
export function gateSteps(config: Config | null, gates: readonly Gate[] | undefined, where: string): PhaseStep[] {
  return gateChecks(config, gates, where).map((c) => ({
    // A check that fails is asked again after `interval`, not at once: what it waits for needs time.
    spec: { name: checkStepName(c.name), run: c.run, timeout: c.timeout, retries: c.retries, env: c.env, cwd: c.cwd, idempotent: true, retryDelayMs: c.intervalMs },
    check: { interval: c.intervalMs, stableFor: c.stableForMs },
  }));
}

/** Before anything is recorded: a resumed phase must know what to do with an interrupted step. */
export function checkResumable(previous: PhaseAttempt | null, steps: readonly PhaseItem[], decision: ResumeDecision | undefined): void {
  if (!previous || previous.state !== 'interrupted' || decision) return;
  for (const step of previous.steps) {
    const spec = steps[step.index]?.spec;
    if (step.state === 'running' && spec && !spec.idempotent) {
      throw new PreconditionError('E_RESUME_DECIDE', `step "${step.name}" was running when relmgr stopped, and it is not marked idempotent: it may or may not have done its work`, {
        hint: 'run it again with: relmgr resume --rerun, or record it as done with: relmgr resume --assume-done',
      });
    }
  }
}

export interface StepsRun {
  session: Session;
  release: ReleaseView;
  ref: PhaseRef;
  /** The attempt the steps run in (its phase.started id). */
  attempt?: string;
  /** Throws when the run is no longer this machine's (taken over): checked before each step. */
  ours?: () => void;
  steps: readonly PhaseItem[];
  previous: PhaseAttempt | null;
  decision: ResumeDecision | undefined;
  stepContext: StepRunContext;
  /** Evaluates a gate where it stands (recording it), the gate at `index`; throws when it holds the phase. */
  gate(item: PhaseGate, index: number): Promise<void>;
}

/** Runs a phase's steps in order, journaling each; steps done in a previous attempt are skipped. */
export async function runSteps(run: StepsRun): Promise<{ failed: { index: number; result: StepResult } | null }> {
  const { session, release } = run;
  const where = eventWhere(run.ref, run.attempt);
  const secrets = secretValues(run.stepContext.baseEnv, run.stepContext.secretNames);
  for (const [index, step] of run.steps.entries()) {
    if (isGate(step)) {
      await run.gate(step, index);
      continue;
    }
    // The ledger is shared: a secret pasted into a step's command must not reach it through the name.
    const name = redactSecrets(step.spec.name ?? stepName(step.spec), secrets);
    const before = run.previous?.steps.find((s) => s.index === index);
    if (before && (before.state === 'succeeded' || before.state === 'skipped')) {
      await session.record(session.event('step.skipped', release.version, { index, name, reason: 'done before' }, where));
      continue;
    }
    if (before?.state === 'running' && !step.spec.idempotent && run.decision === 'assume-done') {
      await session.record(session.event('step.skipped', release.version, { index, name, reason: `assumed done by ${session.actor.name}`, decision: 'assume-done' }, where));
      continue;
    }
    const decision = before?.state === 'running' ? (step.spec.idempotent ? 'rerun (idempotent)' : run.decision) : undefined;
    await session.record(session.event('step.started', release.version, { index, name, attempt: 1, idempotent: step.spec.idempotent, ...(decision ? { decision } : {}) }, where));
    // Its start is shared before it runs (unless it may simply run again): another machine may have taken this run over.
    run.ours?.();
    // Stopped by a signal during the step: the ledger says so, the lock is released, then relmgr dies of it.
    const stepContext: StepRunContext = {
      ...run.stepContext,
      onInterrupted: (stopped, signal) => session.stopping(session.event('phase.interrupted', release.version, { step: stopped.index, name: stopped.name, signal }, where)),
      // Where the step runs, so its host can tell after a SIGKILL of relmgr whether the step runs on.
      onSpawned: (spawned, pgid) => session.record(session.event('step.spawned', release.version, { index: spawned.index, name: spawned.name, pgid }, where)),
    };
    let result = await runStep(step.spec, index, stepContext);
    if (result.status === 'succeeded' && step.check && step.check.stableFor > 0) result = await steadily(step, index, result, run.stepContext, stepContext);
    const data = { index, name, attempts: result.attempts, exitCode: result.exitCode, timedOut: result.status === 'timed_out', durationMs: result.durationMs, logFile: result.logFile };
    if (result.status !== 'succeeded') {
      await session.record(session.event('step.failed', release.version, data, where));
      return { failed: { index, result } };
    }
    await session.record(session.event('step.succeeded', release.version, data, where));
  }
  return { failed: null };
}

/**
 * A check that must pass steadily (`stable_for`): asked again every `interval` until it has passed
 * that long. A failure inside the window uses one of the check's retries and starts the window
 * again; with none left, the check fails. The result counts every run and all their time.
 */
async function steadily(step: PhaseStep, index: number, first: StepResult, timing: Pick<StepRunContext, 'clock' | 'sleep'>, stepContext: StepRunContext): Promise<StepResult> {
  const check = step.check as NonNullable<PhaseStep['check']>;
  const now = (): number => timing.clock().getTime();
  let retries = step.spec.retries - (first.attempts - 1);
  let result = first;
  let until = now() + check.stableFor;
  while (now() < until) {
    await timing.sleep(Math.min(check.interval, Math.max(0, until - now())));
    const again = await runStep({ ...step.spec, retries: 0 }, index, stepContext);
    result = { ...again, attempts: result.attempts + again.attempts, durationMs: result.durationMs + again.durationMs };
    if (again.status === 'succeeded') continue;
    if (retries <= 0) return result;
    retries -= 1;
    until = now() + check.stableFor;
  }
  return result;
}

/** A step that failed: its output's tail, where the full log is, and how to go on. */
export function stepFailed(phase: string, name: string, detail: string, tail: readonly string[], log: string | null): RelmgrError {
  return new RelmgrError('E_STEP_FAILED', `${phase}: step "${name}" ${detail}`, {
    details: [...tail.map((line) => `| ${line}`), ...(log ? [`full output: ${log}`] : [])],
    // A fix committed after the cut cannot be tested as this release (its tag is on the old commit): a new release supersedes it.
    hint: `fix the cause, then continue with: relmgr resume (if the fix is a new commit: relmgr plan --replace${phase === 'build' ? '' : ' --reason "…"'})`,
  });
}

/** What a phase.failed event records of its error, so status can repeat the advice. */
export function failure(error: RelmgrError): { kind: string; hint?: string } {
  return { kind: error.code, ...(error.hint ? { hint: error.hint } : {}) };
}
