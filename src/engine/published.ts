import type { ReleaseGit } from '../adapters/git-release.js';
import type { Config } from '../core/config/schema.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { cutElsewhere, nextCommand, pushedInLedger, releaseCommit } from '../core/lifecycle/next.js';
import { PreconditionError } from '../errors.js';

export { cutAttempt, pushedInLedger, releaseCommit } from '../core/lifecycle/next.js';

/**
 * Where the tag of a release is published: the remote, when its tag is there at the release
 * commit (or the ledger says it was pushed and the remote cannot be asked). Null when the release
 * was never cut or its tag is not on the remote.
 */
export async function publishedOn(releaseGit: ReleaseGit, remote: string | null, release: ReleaseView): Promise<string | null> {
  const commit = releaseCommit(release);
  // A tag of that name on a release that was never cut is another release's, not this one's.
  if (remote === null || commit === null) return null;
  try {
    return (await releaseGit.remoteTagCommit(remote, release.tag)) === commit ? remote : null;
  } catch {
    return pushedInLedger(release) ? remote : null;
  }
}

/** Whether this clone has the release commit of a cut release (true when it was never cut). */
export async function commitHere(releaseGit: ReleaseGit, release: ReleaseView): Promise<boolean> {
  const commit = releaseCommit(release);
  return commit === null || (await releaseGit.hasCommit(commit));
}

/** Refuses to act here on a release cut with --no-push in another clone: only that clone can push it. */
export async function requireCommitHere(releaseGit: ReleaseGit, release: ReleaseView): Promise<void> {
  if (await commitHere(releaseGit, release)) return;
  throw new PreconditionError('E_COMMIT_ELSEWHERE', `the release commit of ${release.version} (${releaseCommit(release)?.slice(0, 7)}) is not in this clone`, {
    hint: cutElsewhere(release),
  });
}

/**
 * The next command for a release, as `status` gives it in this clone: a release cut with
 * --no-push elsewhere is pushed from that clone, not tested or pushed here.
 */
export async function nextHere(releaseGit: ReleaseGit, remote: string | null, release: ReleaseView, config: Config | null): Promise<string> {
  const here = remote !== null && !pushedInLedger(release) ? await commitHere(releaseGit, release) : true;
  return nextCommand(release, { remote, commitHere: here, config });
}

/**
 * `next` as this clone must run it: a phase that runs at the release commit (test, deploy) from a
 * checkout elsewhere (main, after a hotfix) starts with the checkout — fetching the tag first when the
 * clone does not have it.
 */
export async function atReleaseCommit(releaseGit: ReleaseGit, remote: string | null, release: ReleaseView, next: string): Promise<string> {
  const commit = releaseCommit(release);
  // The phase command itself, or after the decisions it waits for (`relmgr approve …; then relmgr deploy production`).
  const at = /(^|then )relmgr (test|deploy)\b/.exec(next);
  if (commit === null || at === null) return next;
  const head = await releaseGit.head().catch(() => null);
  if (head === null || head.hash === commit) return next;
  // Without the commit, or the tag (a clone that pulled with --no-tags), fetch them first.
  const fetch = remote !== null && (!(await releaseGit.hasCommit(commit)) || (await releaseGit.tagCommit(release.tag)) === undefined) ? `git fetch --tags ${remote}, then ` : '';
  const start = at.index + (at[1] ?? '').length;
  return `${next.slice(0, start)}${fetch}git checkout ${release.tag}, then ${next.slice(start)}`;
}
