import { environmentNow, type Deployment } from '../core/lifecycle/deployments.js';
import { isHotfix, type ReleaseView } from '../core/lifecycle/fold.js';
import { releaseCommit } from '../core/lifecycle/next.js';
import { PreconditionError } from '../errors.js';
import type { Lifecycle } from './lifecycle.js';
import { readCommits } from './repo-commits.js';

/*
 * A hotfix carries commits picked from main onto the release that ran in production. A release cut
 * before such a fix landed on main does not contain it: deploying it over the hotfix would silently
 * undo the fix. So a deploy to an environment that runs a hotfix (any environment: staging runs
 * hotfixes too) needs every picked commit to be an ancestor of this release's commit.
 */

/** A hotfix's picked commits (full hashes), from its plan: folded already, or read from its release.planned. */
async function picksOf({ session }: Lifecycle, version: string): Promise<string[] | null> {
  const folded = session.state.releases.findLast((r) => r.version === version);
  const planned: Pick<ReleaseView, 'track' | 'planned'> | null = folded
    ? folded
    : await session.ledger.readPicked((name) => name.release === version && name.type === 'release.planned').then((events) => {
        const data = events.at(-1)?.data;
        return data ? { track: typeof data.track === 'string' ? data.track : 'normal', planned: data } : null;
      });
  if (planned === null || !isHotfix(planned)) return null;
  return (planned.planned.picks as unknown[]).filter((p): p is string => typeof p === 'string');
}

/**
 * E_HOTFIX_MISSING (exit 3, nothing recorded) when `env` runs a hotfix (or may run one: in doubt)
 * whose picked commits this release does not contain. A pick this clone does not have (a shallow
 * CI checkout) cannot be checked: it is said, not refused.
 */
export async function refuseUndoingHotfix(lifecycle: Lifecycle, env: string, history: readonly Deployment[]): Promise<void> {
  const { release, prepared, session } = lifecycle;
  const commit = releaseCommit(release);
  if (commit === null) return;
  const now = environmentNow(history, env);
  const running = (now.inDoubt ? now.candidates : now.version !== null ? [now.version] : []).filter((v) => v !== release.version);
  for (const version of running) {
    const picks = await picksOf(lifecycle, version);
    if (picks === null) continue;
    const missing: string[] = [];
    for (const pick of picks) {
      if ((await prepared.git.resolveCommit(`${pick}^{commit}`)) === undefined) {
        session.warn(`${env} runs hotfix ${version}, which carries ${pick.slice(0, 7)}: that commit is not in this clone, so whether ${release.version} contains it was not checked (git fetch)`);
        continue;
      }
      if (!(await prepared.git.isAncestor(pick, commit))) missing.push(pick);
    }
    if (missing.length === 0) continue;
    const described: string[] = [];
    for (const pick of missing) {
      const subject = (await readCommits(prepared.git, `${pick}^`, pick).catch(() => []))[0]?.header;
      described.push(`${pick.slice(0, 7)}${subject ? ` (${subject})` : ''}`);
    }
    const runs = now.inDoubt ? `may run hotfix ${version}` : `runs hotfix ${version}`;
    throw new PreconditionError('E_HOTFIX_MISSING', `${env} ${runs}, which carries ${described.join(', ')}; ${release.version} does not contain ${missing.length === 1 ? 'it' : 'them'}: deploying it would undo the fix (nothing was recorded)`, {
      details: missing.map((pick) => `not in ${release.version} (${commit.slice(0, 7)}): ${pick}`),
      hint: `commit or merge the fix on ${release.branch ?? 'the release branch'}, then plan the release again: relmgr plan --replace --reason "…"`,
    });
  }
}
