import type { Context } from '../context.js';
import { refuseRunning } from '../engine/liveness.js';
import { nextCommand } from '../core/lifecycle/next.js';
import { pushedInLedger, requireCommitHere } from '../engine/published.js';
import { runTestPhase } from '../engine/test-phase.js';
import { PreconditionError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { releaseContext, type ReleaseContext, type ReleaseOptions } from './release-context.js';

/** `relmgr test`: runs the test phase of a cut release. */
export async function run(ctx: Context, options: ReleaseOptions): Promise<number> {
  const context = await releaseContext(ctx, options, 'test');
  try {
    return await test(ctx, options, context);
  } finally {
    await context.session.close();
  }
}

async function test(ctx: Context, options: ReleaseOptions, { release, input, session }: ReleaseContext): Promise<number> {
  refuseRunning(release, session.here);
  if (release.state === 'abandoned') throw new PreconditionError('E_STATE', `release ${release.version} was abandoned`, { hint: 'plan a new one: relmgr plan' });
  if (release.phases.build.state !== 'succeeded') {
    throw new PreconditionError('E_STATE', `release ${release.version} is not cut yet (${release.interrupted === 'build' ? 'its cut was interrupted' : release.state})`, {
      hint: release.phases.build.state === 'pending' ? 'cut it first: relmgr cut' : 'finish the cut first: relmgr resume',
    });
  }
  const commit = release.phases.build.attempts.at(-1)?.result.commit;
  const head = (await input.releaseGit.head()).hash;
  const remote = session.releaseRemote;
  const pushed = pushedInLedger(release);
  if (typeof commit === 'string' && head !== commit) {
    // Not in this clone: cut with --no-push elsewhere (only that clone can push it), or not fetched yet.
    if (!pushed) await requireCommitHere(input.releaseGit, release);
    const fetch = remote !== null && !(await input.releaseGit.hasCommit(commit)) ? `git fetch --tags ${remote}, then ` : '';
    throw new PreconditionError('E_WRONG_COMMIT', `HEAD is ${head.slice(0, 7)}, not the release commit of ${release.version} (${commit.slice(0, 7)})`, {
      hint: `test what was released: ${fetch}git checkout ${release.tag}`,
    });
  }
  if (release.interrupted === 'test') {
    throw new PreconditionError('E_STATE', `the test phase of ${release.version} was interrupted`, { hint: 'continue it with: relmgr resume' });
  }
  const { steps } = await runTestPhase(input, null);
  if (options.json) printJson(ctx.stdout, { version: release.version, state: 'tested', steps });
  else {
    // Cut with --no-push: testing it is not publishing it.
    const next = remote !== null && !pushed ? nextCommand({ ...release, state: 'tested' }, { remote }) : 'deploying comes in a later relmgr version; see relmgr status';
    ctx.stdout.write(`Tested ${release.version}: ${steps} step${steps === 1 ? '' : 's'} passed\nNext: ${next}\n`);
  }
  return 0;
}
