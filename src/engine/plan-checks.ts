import type { ReleaseGit } from '../adapters/git-release.js';
import type { Config } from '../core/config/schema.js';
import type { Host } from '../adapters/lock.js';
import { settled } from '../core/lifecycle/environments.js';
import { isHotfix, type LedgerState, type ReleaseView } from '../core/lifecycle/fold.js';
import { refuseRunning } from './liveness.js';
import { phaseToResume } from '../core/lifecycle/resume.js';
import { PreconditionError } from '../errors.js';
import { releaseCommit } from './published.js';
import { versionDowngradeError, versionFileEdits } from './release-files.js';

export interface PlanCheckInput {
  version: string;
  tag: string;
  head: string;
  branch: string | null;
  allowedBranches: string[];
  config: Config | null;
  releaseGit: ReleaseGit;
  remote: string | null;
  state: LedgerState;
  /** The open release `--replace` abandons (its version may be planned again). */
  replacing: ReleaseView | null;
  /** The command to run again once the problems are fixed. */
  again: string;
  /** A hotfix's branch (hotfix/<version>), which cut creates: it must not exist yet. */
  hotfixBranch?: string;
  warn(text: string): void;
}

/** A detached HEAD that no CI variable names a branch for: the variables read, and what to set. */
export function detachedHead(branch: string): string {
  return `HEAD is detached, and no CI variable names the branch (relmgr reads CI_COMMIT_BRANCH, or GITHUB_REF_NAME when GITHUB_REF_TYPE=branch): check out a release branch, or set CI_COMMIT_BRANCH=${branch} (or GITHUB_REF_NAME=${branch} with GITHUB_REF_TYPE=branch)`;
}

/**
 * What `cut` would refuse, checked before `plan` records anything: the release branch (as cut
 * finds it, CI variables included), a detached HEAD, the version's tag here, on the remote or in
 * the ledger, and every version-file locator. All problems together (exit 3).
 */
export async function checkPlan(input: PlanCheckInput): Promise<void> {
  const problems: string[] = [];
  const fixes: string[] = [];
  const main = input.allowedBranches[0] ?? 'main';
  if (input.branch === null) {
    problems.push(detachedHead(main));
    fixes.push(`git checkout ${main}`);
  } else if (!input.allowedBranches.includes(input.branch)) {
    problems.push(`branch ${input.branch} is not a release branch (versioning.branches: ${input.allowedBranches.join(', ')})`);
    fixes.push(`git checkout ${main}`);
  }
  if (input.hotfixBranch !== undefined && (await input.releaseGit.branchCommit(input.hotfixBranch)) !== undefined) {
    problems.push(`branch ${input.hotfixBranch} already exists here: cut creates it for this hotfix`);
    fixes.push(`git branch -D ${input.hotfixBranch} (if nothing on it is needed)`);
  }
  const local = await input.releaseGit.tagCommit(input.tag);
  let again = input.again;
  if (local !== undefined) {
    // Taken by a release off this branch (a hotfix, say): the next free patch is named, ready to run.
    const free = await freePatch(input);
    problems.push(`tag ${input.tag} already exists here (at ${local.slice(0, 7)}), outside this branch's history: choose another version (--release-as${free ? ` ${free}` : ''}) or merge that release`);
    if (free) again = `${input.again.replace(/ --release-as \S+/, '')} --release-as ${free}`;
  }
  if (input.remote !== null && local === undefined) {
    try {
      if ((await input.releaseGit.remoteTagCommit(input.remote, input.tag)) !== undefined) {
        // The release being replaced was cut and pushed from another clone: its own tag, not another release's.
        const own = input.replacing?.tag === input.tag ? `it is the tag of ${input.replacing.version}, the release being replaced, cut elsewhere: this clone has not fetched it` : 'another release took the version';
        problems.push(`tag ${input.tag} already exists on ${input.remote}: ${own}`);
        fixes.push(`git pull --rebase --tags ${input.remote} ${input.branch !== null && input.allowedBranches.includes(input.branch) ? input.branch : main}`);
      }
    } catch (error) {
      input.warn(`warning: could not check ${input.remote} for the tag ${input.tag} (${(error as Error).message}); cut checks it again`);
    }
  }
  const recorded = input.state.releases.find((r) => r.version === input.version && r.state !== 'abandoned' && r !== input.replacing);
  if (recorded) problems.push(`release ${input.version} is already in the ledger (${recorded.state}, planned by ${recorded.initiator.name} at ${recorded.plannedAt})`);
  const { problems: files, downgrades } = await versionFileEdits(input.config, (path) => input.releaseGit.show(input.head, path), input.version);
  if (downgrades.length > 0) throw versionDowngradeError(input.version, downgrades, input.again);
  if (files.length > 0) fixes.push('fix versioning.files in release.config.yaml (or add the files) and commit');
  problems.push(...files);
  if (problems.length > 0) {
    throw new PreconditionError('E_PLAN_PRECONDITIONS', `cannot plan ${input.version}, nothing was recorded:`, { details: problems, hint: [...new Set(fixes), again].join(', then ') });
  }
}

/** The next patch of the planned version whose tag is free here (a few tries), or null. */
async function freePatch(input: PlanCheckInput): Promise<string | null> {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(input.version);
  if (!match || !input.tag.includes(input.version)) return null;
  const [, major, minor, patch] = match;
  for (let next = Number(patch) + 1; next <= Number(patch) + 20; next++) {
    const version = `${major}.${minor}.${next}`;
    if ((await input.releaseGit.tagCommit(input.tag.replace(input.version, version))) === undefined) return version;
  }
  return null;
}

/**
 * The phase of an open release that failed or was interrupted, and whether `relmgr resume` can
 * continue it from HEAD. A clone behind the planned commit (a CI job on an older checkout, or one
 * that has not fetched it) can: it is not a fix committed since, and fetching gets it there.
 */
export interface OpenFailure {
  /** The phase that failed or was interrupted (`deploy`, with its environment in `env`). */
  phase: 'build' | 'test' | 'deploy' | 'rollback';
  env?: string;
  resumable: boolean;
  behind: boolean;
}

export function openFailure(release: ReleaseView, head: { hash: string; parents: string[]; subject: string }, behind = false): OpenFailure | null {
  const ref = phaseToResume(release);
  const phase = ref?.phase;
  if (phase !== 'build' && phase !== 'test' && phase !== 'deploy' && phase !== 'rollback') return null;
  const env = ref?.env ? { env: ref.env } : {};
  // A rollback runs the project's scripts wherever the checkout is: it continues from anywhere.
  if (phase === 'rollback') return { phase, ...env, resumable: true, behind: false };
  if (behind && head.hash !== release.base) return { phase, ...env, resumable: true, behind: true };
  if (phase === 'build') {
    const ownCommit = head.parents[0] === release.base && head.subject === `chore(release): v${release.version}`;
    return { phase, ...env, resumable: head.hash === release.base || (release.interrupted?.phase === 'build' && ownCommit), behind: false };
  }
  // The test and deploy phases run at the release commit; a CI rerun checks out the planned commit, and the tag gets it there.
  return { phase, ...env, resumable: head.hash === releaseCommit(release) || head.hash === release.base, behind: false };
}

/**
 * The release that blocks a new plan: the open one, unless it went as far as it goes before the next
 * (settled). A hotfix is planned beside a normal release: only another hotfix blocks it.
 */
export const blocking = (state: LedgerState, config: Config | null, hotfix: boolean): ReleaseView | null =>
  state.open && !settled(state.open, config) && (!hotfix || isHotfix(state.open)) ? state.open : null;
const sameRelease = (a: ReleaseView | null, b: ReleaseView | null): boolean => a?.version === b?.version && a?.plannedAt === b?.plannedAt;

/**
 * Checked again when the shared ledger moved while this plan was being pushed: the release the plan
 * replaces (or none), as it now stands. Another machine's plan recorded meanwhile stands: E_RELEASE_OPEN.
 */
export function concurrentPlan(state: LedgerState, config: Config | null, decided: ReleaseView | null, version: string, here: Host, hotfix: boolean): ReleaseView | null {
  const now = blocking(state, config, hotfix);
  if (now === null) return now;
  // The release being replaced started a phase on another machine meanwhile: it is not replaced under it.
  if (sameRelease(now, decided)) {
    refuseRunning(now, here);
    return now;
  }
  const who = `${now.initiator.name} <${now.initiator.email}>`;
  throw new PreconditionError('E_RELEASE_OPEN', `release ${now.version} was planned by ${who} while this plan of ${version} was being recorded: the first plan stands, and ${version} was not planned (nothing was recorded)`, {
    details: [`${now.version}: tag ${now.tag} at ${now.base.slice(0, 7)}${now.branch ? ` on ${now.branch}` : ''}, planned ${now.plannedAt} (${now.state})`],
    hint: `see it with: relmgr status; to plan over it: relmgr plan --replace --reason "…"`,
  });
}
