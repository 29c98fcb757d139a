import type { Context } from '../context.js';
import { phaseState } from '../core/lifecycle/fold.js';
import { phaseLabel } from '../core/lifecycle/phases.js';
import { phaseToResume } from '../core/lifecycle/resume.js';
import { openLifecycle, runLifecyclePhase, type Lifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { refuseRunning } from '../engine/liveness.js';
import { recordTakeover } from '../engine/phase-runner.js';
import type { ResumeDecision } from '../engine/phase-steps.js';
import { nextHere } from '../engine/published.js';
import { targetRelease } from '../engine/session.js';
import { PreconditionError, UsageError } from '../errors.js';
import { withRollback } from '../engine/rollback.js';
import { runPhase } from '../ui/phase-done.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { progressReporter } from '../ui/progress.js';

export interface ResumeOptions extends LifecycleOptions, WaitOptions {
  dotenv?: string;
  rerun?: boolean;
  assumeDone?: boolean;
  takeover?: boolean;
}

/** `relmgr resume`: continues a failed or interrupted phase — any phase, through the one runner — from the step that did not finish. */
export async function run(ctx: Context, options: ResumeOptions): Promise<number> {
  if (options.rerun && options.assumeDone) throw new UsageError('E_USAGE', '--rerun and --assume-done exclude each other', { hint: 'choose one' });
  const decision: ResumeDecision | undefined = options.rerun ? 'rerun' : options.assumeDone ? 'assume-done' : undefined;
  // --wait is checked before anything else: a bad duration is a usage error, whatever the release's state.
  const watch = gateWatch(ctx, options, 'relmgr resume');
  const lifecycle = await openLifecycle(ctx, options, 'resume', progressReporter(ctx, options));
  try {
    await takeOver(lifecycle, options);
    const { release, input, session } = lifecycle;
    const ref = phaseToResume(release);
    const previous = ref ? phaseState(release, ref).attempts.at(-1) : undefined;
    if (ref === null || previous === undefined) {
      const why = ref === null ? `release ${release.version} has nothing to resume (${release.state})` : `the ${phaseLabel(ref)} phase of ${release.version} never started`;
      throw new PreconditionError('E_NOTHING_TO_RESUME', why, { hint: `next: ${await nextHere(input.releaseGit, session.releaseRemote, release, input.config)}` });
    }
    const how = release.interrupted ? 'interrupted' : previous.state === 'gated' ? 'waiting at a gate' : 'failed';
    const when = previous.finishedAt ? `${how} at ${previous.finishedAt}` : `${how}; started at ${previous.startedAt}`;
    ctx.stderr.write(`resuming the ${phaseLabel(ref)} phase of ${release.version} (${when})\n`);
    // A resumed deploy that fails rolls back as a fresh one does (on_failure: rollback).
    const resumed = { previous, decision, ...(options.push === undefined ? {} : { push: options.push }) };
    return await runPhase(ctx, options, lifecycle, ref, () => withRollback(ctx, lifecycle, ref, watch, () => runLifecyclePhase(ctx, lifecycle, ref, resumed, watch)));
  } finally {
    await lifecycle.session.close();
  }
}

/**
 * A phase that still runs is not resumed: here, never; on another host, only with --takeover, which
 * the ledger records (as an interruption of that run) before anything else happens.
 */
async function takeOver(lifecycle: Lifecycle, options: ResumeOptions): Promise<void> {
  const { session } = lifecycle;
  const running = refuseRunning(lifecycle.release, session.here, { takeover: options.takeover === true });
  if (running === null) return;
  await recordTakeover(session, lifecycle.release, running);
  lifecycle.release = targetRelease(session.state, options.release);
  lifecycle.input.release = lifecycle.release;
}
