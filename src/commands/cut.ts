import type { Context } from '../context.js';
import { resumeCommand } from '../core/lifecycle/resume.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { openLifecycle, runLifecyclePhase, type Lifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { refuseRunning } from '../engine/liveness.js';
import { nextHere } from '../engine/published.js';
import { PreconditionError, UsageError } from '../errors.js';
import { runPhase } from '../ui/phase-done.js';
import type { PhaseRef } from '../core/lifecycle/phases.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { progressReporter } from '../ui/progress.js';

/** `relmgr cut`: the build phase — steps, version files, changelog, notes, commit, tag, push. */
export async function run(ctx: Context, options: LifecycleOptions & WaitOptions & { dotenv?: string; pick?: string[] }): Promise<number> {
  // The picks are part of the plan (recorded, checked before anything is recorded): cut applies them.
  if (options.pick !== undefined) {
    throw new UsageError('E_USAGE', '--pick belongs to plan: a hotfix is planned with its commits, and cut picks them onto hotfix/<version>', {
      hint: `relmgr plan --track emergency --reason "…" --pick ${options.pick.join(' ')} (--replace to plan over an open hotfix), then relmgr cut`,
    });
  }
  // --wait is checked before anything else: a bad duration is a usage error, whatever the release's state.
  const watch = gateWatch(ctx, options, 'relmgr cut');
  const lifecycle = await openLifecycle(ctx, options, 'cut', progressReporter(ctx, options));
  try {
    await refuseFresh(lifecycle, lifecycle.release);
    const ref: PhaseRef = { phase: 'build', env: null };
    return await runPhase(ctx, options, lifecycle, ref, () => runLifecyclePhase(ctx, lifecycle, ref, null, watch));
  } finally {
    await lifecycle.session.close();
  }
}

/** A cut starts from a planned release only: a failed or interrupted one is resumed, a cut one goes on. */
async function refuseFresh({ session, input }: Lifecycle, release: ReleaseView): Promise<void> {
  refuseRunning(release, session.here);
  if (release.state === 'planned' && !release.interrupted) return;
  const why =
    release.interrupted?.phase === 'build' || (release.state === 'failed' && release.phases.build.state === 'failed')
      ? { message: `the cut of ${release.version} ${release.interrupted ? 'was interrupted' : 'failed'}`, hint: `continue it with: ${release.interrupted ? resumeCommand(release) : 'relmgr resume'} (or start over: relmgr abort, then relmgr plan)` }
      : release.state === 'abandoned'
        ? { message: `release ${release.version} was abandoned`, hint: 'plan a new one: relmgr plan' }
        : { message: `release ${release.version} is already cut (${release.state})`, hint: `next: ${await nextHere(input.releaseGit, session.releaseRemote, release, input.config)}` };
  throw new PreconditionError('E_STATE', why.message, { hint: why.hint });
}
