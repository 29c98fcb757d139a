import type { Context } from '../context.js';
import { resumeCommand } from '../core/lifecycle/resume.js';
import { openLifecycle, runLifecyclePhase, type Lifecycle, type LifecycleOptions } from '../engine/lifecycle.js';
import { refuseRunning } from '../engine/liveness.js';
import { pushedInLedger, releaseCommit, requireCommitHere } from '../engine/published.js';
import { PreconditionError } from '../errors.js';
import { runPhase } from '../ui/phase-done.js';
import type { PhaseRef } from '../core/lifecycle/phases.js';
import { gateWatch, type WaitOptions } from '../ui/gate-watch.js';
import { phaseHeading } from '../ui/phase-heading.js';
import { progressReporter } from '../ui/progress.js';

/** `relmgr test`: runs the test phase of a cut release. */
export async function run(ctx: Context, options: LifecycleOptions & WaitOptions & { dotenv?: string }): Promise<number> {
  // --wait is checked before anything else: a bad duration is a usage error, whatever the release's state.
  const watch = gateWatch(ctx, options, 'relmgr test');
  const lifecycle = await openLifecycle(ctx, options, 'test', progressReporter(ctx, options));
  try {
    await refuseFresh(lifecycle);
    const ref: PhaseRef = { phase: 'test', env: null };
    phaseHeading(ctx, ref, lifecycle.release.version);
    return await runPhase(ctx, options, lifecycle, ref, () => runLifecyclePhase(ctx, lifecycle, ref, null, watch));
  } finally {
    await lifecycle.session.close();
  }
}

/** The test phase tests a cut release, at its release commit; an interrupted one is resumed. */
async function refuseFresh({ release, input, session }: Lifecycle): Promise<void> {
  refuseRunning(release, session.here);
  if (release.state === 'abandoned') throw new PreconditionError('E_STATE', `release ${release.version} was abandoned`, { hint: 'plan a new one: relmgr plan' });
  if (release.phases.build.state !== 'succeeded') {
    throw new PreconditionError('E_STATE', `release ${release.version} is not cut yet (${release.interrupted?.phase === 'build' ? 'its cut was interrupted' : release.state})`, {
      hint: release.phases.build.state === 'pending' ? 'cut it first: relmgr cut' : 'finish the cut first: relmgr resume',
    });
  }
  const commit = releaseCommit(release);
  const head = (await input.releaseGit.head()).hash;
  const remote = session.releaseRemote;
  if (commit !== null && head !== commit) {
    // Not in this clone: cut with --no-push elsewhere (only that clone can push it), or not fetched yet.
    if (!pushedInLedger(release)) await requireCommitHere(input.releaseGit, release);
    const fetch = remote !== null && !(await input.releaseGit.hasCommit(commit)) ? `git fetch --tags ${remote}, then ` : '';
    throw new PreconditionError('E_WRONG_COMMIT', `HEAD is ${head.slice(0, 7)}, not the release commit of ${release.version} (${commit.slice(0, 7)})`, {
      hint: `test what was released: ${fetch}git checkout ${release.tag}`,
    });
  }
  if (release.interrupted?.phase === 'test') {
    throw new PreconditionError('E_STATE', `the test phase of ${release.version} was interrupted`, { hint: `continue it with: ${resumeCommand(release)}` });
  }
}
