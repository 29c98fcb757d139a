import type { Context } from '../context.js';
import type { Deployment } from '../core/lifecycle/deployments.js';
import { phaseState, type ReleaseView } from '../core/lifecycle/fold.js';
import { forward } from '../core/lifecycle/next.js';
import { phaseLabel, type PhaseRef } from '../core/lifecycle/phases.js';
import { phaseToResume } from '../core/lifecycle/resume.js';
import { phasesAhead } from '../core/lifecycle/walk.js';
import { PreconditionError, RelmgrError } from '../errors.js';
import { closeRelease, refuseClose } from './closing.js';
import type { GateWatch } from './gate-keeper.js';
import { runLifecyclePhase, type OpenLifecycle, type PhaseOutcome } from './lifecycle.js';
import { refuseUndoingHotfix } from './hotfix-guard.js';
import { withRollback } from './rollback.js';
import { refuseRunning } from './liveness.js';
import { monitorRun, refuseMonitor } from './monitoring.js';

/** A phase `relmgr release` ran to its end. */
export interface Walked {
  phase: string;
  env: string | null;
  /** Continued where it failed, was interrupted or waited at a gate. */
  resumed: boolean;
  steps: number;
}

export interface WalkResult {
  release: ReleaseView;
  phases: Walked[];
  /** Where the walk stopped without an error: before the close (no --note), or at the end (closed, or rolled back and not closed). */
  stopped: 'close' | 'end';
}

export interface WalkOptions {
  /** Close at the end with this note; undefined stops before the close. */
  note: string | undefined;
  /** Told before each phase runs (the heading of its progress). */
  starting(ref: PhaseRef, release: ReleaseView, resumed: boolean): void;
}

/** The next thing to run: a phase to continue first (failed, interrupted, gated), else the next phase ahead. */
export function nextPhase(release: ReleaseView, config: OpenLifecycle['input']['config'], history?: readonly Deployment[]): { ref: PhaseRef; resumed: boolean } | null {
  const pending = phaseToResume(release);
  if (pending?.phase === 'rollback') {
    throw new PreconditionError('E_STATE', `the rollback of ${release.version} in ${pending.env ?? '?'} did not finish: relmgr release does not go on from a rollback`, { hint: 'see where it stands: relmgr status' });
  }
  // A gated phase is continued by running it again; a failed or interrupted one is resumed.
  if (pending) return { ref: pending, resumed: phaseState(release, pending).state !== 'gated' };
  const ahead = phasesAhead(release, config, history)[0];
  return ahead ? { ref: ahead, resumed: false } : null;
}

/**
 * Walks the open release from wherever it stands — cut, test, each environment in promotion order,
 * monitor (when configured), close (with a note) — in this one process and its one lock. It stops at
 * the first gate that is not satisfied (GatesHeld: exit 10/11/12) or the first failure (its exit
 * code), which are thrown with the phases that ran (`data.phases`, `data.stoppedAt`, and the
 * environment of the phase it stopped in, `data.stoppedEnv`, for the CI outputs).
 */
export async function walk(ctx: Context, lifecycle: OpenLifecycle, watch: GateWatch, options: WalkOptions): Promise<WalkResult> {
  const phases: Walked[] = [];
  let current: PhaseRef | null = null;
  try {
    for (;;) {
      const release = lifecycle.release;
      refuseRunning(release, lifecycle.session.here);
      const next = nextPhase(release, lifecycle.input.config, await lifecycle.session.deployments());
      if (next === null) return { release, phases, stopped: 'end' };
      current = next.ref;
      if (next.ref.phase === 'feedback' && !next.resumed) {
        if (options.note === undefined) return { release, phases, stopped: release.state === 'rolled_back' ? 'end' : 'close' };
        const outcome = refuseClose(lifecycle);
        options.starting(next.ref, release, false);
        const closed = await closeRelease(ctx, lifecycle, watch, options.note.trim() === '' ? null : options.note, outcome);
        phases.push({ phase: 'feedback', env: null, resumed: false, steps: closed.steps });
        lifecycle.release = closed.release;
        return { release: closed.release, phases, stopped: 'end' };
      }
      if (next.ref.phase === 'monitor' && !next.resumed) await refuseMonitor(lifecycle);
      if (next.ref.phase === 'deploy' && next.ref.env !== null && !next.resumed) await refuseUndoingHotfix(lifecycle, next.ref.env, await lifecycle.session.deployments());
      options.starting(next.ref, release, next.resumed);
      const outcome = await runOne(ctx, lifecycle, next.ref, next.resumed, watch);
      phases.push({ phase: next.ref.phase, env: next.ref.env, resumed: next.resumed, steps: typeof outcome.result.steps === 'number' ? outcome.result.steps : 0 });
      lifecycle.release = outcome.release;
      lifecycle.input.release = outcome.release;
    }
  } catch (error) {
    if (!(error instanceof RelmgrError)) throw error;
    const stoppedAt = current ? phaseLabel(current) : null;
    throw new RelmgrError(error.code, error.message, { hint: error.hint, details: error.details, data: { ...error.data, phases, stoppedAt, stoppedEnv: current?.env ?? null }, cause: error });
  }
}

/** Runs one phase through the one runner: fresh, or continuing its last attempt as relmgr resume would. */
async function runOne(ctx: Context, lifecycle: OpenLifecycle, ref: PhaseRef, resumed: boolean, watch: GateWatch): Promise<PhaseOutcome> {
  const previous = resumed ? phaseState(lifecycle.release, ref).attempts.at(-1) : undefined;
  const run = (): Promise<PhaseOutcome> => withRollback(ctx, lifecycle, ref, watch, () => runLifecyclePhase(ctx, lifecycle, ref, previous ? { previous, decision: undefined } : null, watch));
  return ref.phase === 'monitor' ? monitorRun(lifecycle, run) : run();
}

/** What comes after a walk that stopped without an error. */
export function afterWalk(result: WalkResult, config: OpenLifecycle['input']['config']): string {
  if (result.release.state === 'closed') return 'relmgr plan';
  return forward(result.release, config);
}
