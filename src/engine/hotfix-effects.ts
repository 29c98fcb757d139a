import type { ReleaseGit } from '../adapters/git-release.js';
import { hotfixBranch } from '../core/hotfix.js';
import type { ReleaseView } from '../core/lifecycle/fold.js';
import { PreconditionError } from '../errors.js';

/** Where a hotfix's cut starts: its branch, and the tip of the picks onto the base release (no branch points at it until the cut's steps start). */
export interface HotfixStart {
  branch: string;
  tip: string;
}

/** The checkout a cut found (a branch, else a detached commit): what it goes back to when it stops or fails. */
export interface Checkout {
  branch: string | undefined;
  commit: string;
}

const picksOf = (release: ReleaseView): string[] => (Array.isArray(release.planned.picks) ? release.planned.picks.filter((p): p is string => typeof p === 'string') : []);

/**
 * The commits a hotfix carries, picked onto its base release: made in a throwaway worktree (this
 * checkout is never touched, and nothing is left behind when they do not apply). A cut resumed on
 * its branch (after an interruption) starts from where the branch is.
 */
export async function hotfixStart(releaseGit: ReleaseGit, release: ReleaseView, commitMessage: string): Promise<HotfixStart> {
  const branch = hotfixBranch(release.version);
  if ((await releaseGit.currentBranch()) === branch) {
    const head = await releaseGit.head();
    const own = head.subject === commitMessage && head.parents.length === 1 && head.parents[0] !== undefined;
    return { branch, tip: own ? (head.parents[0] as string) : head.hash };
  }
  const picked = await releaseGit.pickOnto(release.base, picksOf(release));
  if ('failed' in picked) {
    const where = picked.files.length > 0 ? `it conflicts in ${picked.files.join(', ')}` : picked.reason;
    throw new PreconditionError('E_PICK_CONFLICT', `--pick ${picked.failed.slice(0, 7)} no longer applies onto ${release.previousTag ?? release.base.slice(0, 7)}: ${where} (nothing was changed)`, {
      hint: `plan the hotfix again with the commits that apply: relmgr plan --replace --track emergency --reason "…" --pick …`,
    });
  }
  return { branch, tip: picked.tip };
}

/** The problems a hotfix cut has with the checkout, and the release commit a resumed cut already made (or null). */
export async function hotfixHead(
  releaseGit: ReleaseGit,
  hotfix: HotfixStart,
  head: { hash: string; parents: string[]; subject: string },
  resuming: boolean,
  commitMessage: string,
): Promise<{ commit: string | null; problems: Array<{ text: string; fix?: string; replan?: boolean }> }> {
  if ((await releaseGit.currentBranch()) === hotfix.branch) {
    if (head.hash === hotfix.tip) return { commit: null, problems: [] };
    if (resuming && head.parents[0] === hotfix.tip && head.subject === commitMessage) return { commit: head.hash, problems: [] };
    return { commit: null, problems: [{ text: `branch ${hotfix.branch} has commits relmgr did not make (HEAD ${head.hash.slice(0, 7)})`, fix: `git checkout - && git branch -D ${hotfix.branch}` }] };
  }
  const existing = await releaseGit.branchCommit(hotfix.branch);
  if (existing === undefined) return { commit: null, problems: [] };
  return { commit: null, problems: [{ text: `branch ${hotfix.branch} already exists here (at ${existing.slice(0, 7)}): cut creates it for this hotfix`, fix: `git branch -D ${hotfix.branch} (if nothing on it is needed)` }] };
}

/** Puts the checkout on the hotfix branch (created at the tip of the picks): whether this created it. */
export async function enterHotfix(releaseGit: ReleaseGit, hotfix: HotfixStart): Promise<boolean> {
  if ((await releaseGit.currentBranch()) === hotfix.branch) return false;
  if (!(await releaseGit.createBranch(hotfix.branch, hotfix.tip))) {
    throw new PreconditionError('E_CUT_PRECONDITIONS', `branch ${hotfix.branch} was created meanwhile`, { hint: `git branch -D ${hotfix.branch} (if nothing on it is needed), then relmgr resume` });
  }
  try {
    await releaseGit.checkout(hotfix.branch);
  } catch (error) {
    await releaseGit.deleteBranch(hotfix.branch, hotfix.tip);
    throw error;
  }
  return true;
}

/** Goes back to the checkout the cut found, and deletes the hotfix branch it created (only while it is at `at`). */
export async function leaveHotfix(releaseGit: ReleaseGit, hotfix: HotfixStart, original: Checkout, at: string): Promise<string[]> {
  const undone: string[] = [];
  if ((await releaseGit.currentBranch()) === hotfix.branch) {
    await releaseGit.checkout(original.branch ?? original.commit, original.branch === undefined);
    undone.push('checkout');
  }
  if (await releaseGit.deleteBranch(hotfix.branch, at)) undone.push(`branch ${hotfix.branch}`);
  return undone;
}
