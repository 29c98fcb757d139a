import type { Context } from '../context.js';
import { publishedOn, pushedInLedger, releaseCommit, requireCommitHere } from '../engine/published.js';
import { PreconditionError, RelmgrError } from '../errors.js';
import { releaseOutputs, writeCiOutputs } from '../ui/ci-outputs.js';
import { printJson } from '../ui/output.js';
import { openLifecycle, type Lifecycle, type LifecycleOptions } from '../engine/lifecycle.js';

/** `relmgr push`: publishes a release cut with --no-push — the release commit and its tag, in one atomic push. */
export async function run(ctx: Context, options: LifecycleOptions & { dotenv?: string }): Promise<number> {
  const context = await openLifecycle(ctx, { ...options, push: true }, 'push');
  try {
    return await push(ctx, options, context);
  } finally {
    await context.session.close();
  }
}

async function push(ctx: Context, options: LifecycleOptions & { dotenv?: string }, { release, input, session }: Lifecycle): Promise<number> {
  if (release.state === 'abandoned') throw new PreconditionError('E_STATE', `release ${release.version} was abandoned`, { hint: 'plan a new one: relmgr plan' });
  const commit = releaseCommit(release);
  if (release.phases.build.state !== 'succeeded' || commit === null) {
    throw new PreconditionError('E_STATE', `release ${release.version} is not cut yet (${release.interrupted?.phase === 'build' ? 'its cut was interrupted' : release.state})`, {
      hint: release.phases.build.state === 'pending' ? 'cut it first: relmgr cut' : 'finish the cut first: relmgr resume',
    });
  }
  const remote = session.releaseRemote;
  const branch = release.branch ?? input.branch;
  if (remote === null || branch === null) {
    throw new PreconditionError('E_NO_REMOTE', remote === null ? 'there is no remote to push to (audit.ledger.remote, or origin)' : `the branch of ${release.version} is not known`, {
      hint: remote === null ? 'add one: git remote add origin <url>, then relmgr push' : `push it by hand: git push --atomic origin ${commit}:refs/heads/<branch> refs/tags/${release.tag}`,
    });
  }
  const { releaseGit } = input;
  const where = { phase: 'build' as const };
  const data = { kind: 'push', remote, branch, commit, by: 'relmgr push' };
  if ((await publishedOn(releaseGit, remote, release)) !== null) {
    if ((await releaseGit.remoteTagCommit(remote, release.tag)) !== commit) {
      throw new PreconditionError('E_TAG_EXISTS', `tag ${release.tag} already exists on ${remote} at another commit: another release took the version`, {
        hint: `relmgr abort --reason "${release.tag} was taken", then git tag -d ${release.tag}, then git reset --keep ${release.base.slice(0, 12)}, then git pull --rebase --tags ${remote} ${branch}, then relmgr plan`,
      });
    }
    if (!pushedInLedger(release)) await session.decide(`the push of ${release.version}`, () => [session.event('effect.applied', release.version, data, where)]);
    ctx.stdout.write(options.json ? '' : `${release.version} is already pushed to ${remote}\n`);
  } else {
    await requireCommitHere(releaseGit, release);
    if ((await releaseGit.tagCommit(release.tag)) !== commit) {
      throw new PreconditionError('E_STATE', `the tag ${release.tag} is not here at the release commit ${commit.slice(0, 7)}`, { hint: `recreate it: git tag --annotate --message ${release.tag} ${release.tag} ${commit}, then relmgr push` });
    }
    try {
      await releaseGit.push(remote, branch, release.tag, commit);
    } catch (error) {
      if (!(error instanceof RelmgrError) || !/\[rejected\]|non-fast-forward|fetch first/.test(error.message)) throw error;
      // Recorded, so status (and abort) repeat this recipe instead of another push that fails the same way.
      const after = `git tag -d ${release.tag}, then git reset --keep ${release.base.slice(0, 12)}, then git pull --rebase --tags ${remote} ${branch}, then relmgr plan`;
      const hint = `start over on top of it: relmgr abort --reason "${branch} moved", then ${after}`;
      await session.record(session.event('effect.failed', release.version, { ...data, code: 'E_BRANCH_MOVED', hint, after }, where));
      throw new PreconditionError('E_BRANCH_MOVED', `${error.message}\n${branch} moved on ${remote} since ${release.version} was cut: its release commit no longer goes on top`, { hint });
    }
    await session.decide(`the push of ${release.version}`, () => [session.event('effect.applied', release.version, data, where)]);
    if (!options.json) ctx.stdout.write(`Pushed ${release.version}: commit ${commit.slice(0, 7)} to ${branch} and tag ${release.tag}, to ${remote}\nNext: ${release.state === 'cut' ? 'relmgr test' : 'relmgr status'}\n`);
  }
  if (options.json) printJson(ctx.stdout, { version: release.version, tag: release.tag, commit, remote, branch, pushed: true });
  await writeCiOutputs(ctx, releaseOutputs({ version: release.version, tag: release.tag, state: release.state, released: true }), { dotenv: options.dotenv, command: `relmgr push: ${release.version}` });
  return 0;
}
