import type { ReleaseGit } from '../adapters/git-release.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';

/** The build attempt that cut the release, if it has been cut. */
export function cutAttempt(release: ReleaseView) {
  return release.phases.build.attempts.findLast((a) => a.state === 'succeeded') ?? null;
}

/** The release commit of a cut release, or null. */
export function releaseCommit(release: ReleaseView): string | null {
  const commit = cutAttempt(release)?.result.commit;
  return typeof commit === 'string' ? commit : null;
}

/** Whether the ledger records the push of a cut release (by `cut`, `resume` or `relmgr push`). */
export function pushedInLedger(release: ReleaseView): boolean {
  return release.phases.build.attempts.some((a) => a.effects.some((e) => e.kind === 'push' && !e.undone)) || cutAttempt(release)?.result.pushed === true;
}

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
