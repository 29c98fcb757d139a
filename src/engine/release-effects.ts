import { join } from 'node:path';
import type { ReleaseGit } from '../adapters/git-release.js';
import type { PhaseAttempt } from '../core/lifecycle/fold.js';
import { PreconditionError, RelmgrError } from '../errors.js';
import { EffectsFailed, type PhaseEffects } from './phase-runner.js';
import { detachedHead } from './plan-checks.js';
import { releaseEdits, type FileEdit, type ReleaseDocsInput } from './release-files.js';
import { isHotfix } from '../core/lifecycle/fold.js';
import { enterHotfix, hotfixHead, hotfixStart, leaveHotfix, type Checkout, type HotfixStart } from './hotfix-effects.js';
import type { Session } from './session.js';

/** What the build phase's effects work with: the release, its documents' inputs, and the ports. */
export interface ReleaseInput extends ReleaseDocsInput {
  session: Session;
  releaseGit: ReleaseGit;
  /** The remote to push to, or null (no remote, or --no-push). */
  remote: string | null;
  branch: string | null;
  allowedBranches: string[];
  writeFile(path: string, text: string): Promise<void>;
  removeFile(path: string): Promise<void>;
}

/** The plain value a cut applies: its files, commit, tag and push. */
export interface ReleasePlan {
  version: string;
  tag: string;
  edits: FileEdit[];
  commitMessage: string;
  push: { remote: string; branch: string } | null;
  /** A hotfix: the branch the cut creates, at the tip of the commits picked onto the base release. */
  hotfix: HotfixStart | null;
}

/** A failed precondition: what is wrong, what fixes it, and whether the release must be planned again. */
interface Problem {
  text: string;
  fix?: string;
  replan?: boolean;
}

/** A hint that works from the state the problems describe: their fixes, then the command to run again. */
export function preconditionHint(problems: readonly Problem[], again: string): string {
  const fixes = [...new Set(problems.flatMap((p) => (p.fix ? [p.fix] : [])))];
  const next = problems.some((p) => p.replan) ? 'relmgr plan --replace' : again;
  return `${[...fixes, next].join(', then ')} (nothing was changed)`;
}

/** Whether a file cut did not find in git already exists here (untracked, or ignored): cut never overwrites it. */
async function occupied(input: ReleaseInput, path: string, ours: string | null): Promise<boolean> {
  try {
    const now = await input.fs.readText(join(input.root, path));
    return now !== undefined && now !== ours;
  } catch {
    return true; // a directory, or unreadable: not ours to replace either
  }
}

/** The remote's tag, or an error whose hint runs the command again, with or without its push. */
async function remoteTagOf(releaseGit: ReleaseGit, remote: string, tag: string, again: string): Promise<string | undefined> {
  try {
    return await releaseGit.remoteTagCommit(remote, tag);
  } catch (error) {
    if (!(error instanceof RelmgrError) || (error.code !== 'E_NETWORK_TIMEOUT' && error.code !== 'E_REMOTE')) throw error;
    const hint = `check the remote (git ls-remote ${remote}), then: ${again}; or without pushing: ${again} --no-push (nothing was changed)`;
    throw new RelmgrError(error.code, error.message, { hint, details: error.details, cause: error });
  }
}

/** Checks everything before anything changes; every failure is reported together (exit 3). */
export async function preconditions(input: ReleaseInput, resumeFrom: PhaseAttempt | null, plan: ReleasePlan): Promise<{ commit: string | null }> {
  const { release, releaseGit } = input;
  const problems: Problem[] = [];
  const head = await releaseGit.head();
  let commit: string | null = null;
  const ours = new Set(plan.edits.map((e) => e.path));
  if (plan.hotfix) {
    const on = await hotfixHead(releaseGit, plan.hotfix, head, resumeFrom !== null, plan.commitMessage);
    commit = on.commit;
    problems.push(...on.problems);
  } else if (head.hash !== release.base) {
    if (resumeFrom && head.parents.length === 1 && head.parents[0] === release.base && head.subject === plan.commitMessage) commit = head.hash;
    else problems.push({ text: `HEAD is ${head.hash.slice(0, 7)}, but ${release.version} was planned at ${release.base.slice(0, 7)}: new commits since plan (re-plan with: relmgr plan --replace)`, replan: true });
  }
  // On resume, a release file may still hold what the interrupted cut wrote — but only exactly that
  // (or the planned commit's text): anything else is someone's work, and it is never overwritten.
  const edits = new Map(plan.edits.map((e) => [e.path, e]));
  const changed: string[] = [];
  for (const path of await releaseGit.changedFiles()) {
    const edit = edits.get(path);
    if (resumeFrom && edit && ours.has(path)) {
      const now = await input.fs.readText(join(input.root, path));
      if (now === edit.after || now === (edit.before ?? undefined)) continue;
    }
    changed.push(path);
  }
  if (changed.length > 0) problems.push({ text: `the working tree has uncommitted changes: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''} (commit or stash them)`, fix: 'git stash' });
  // A file cut creates must not exist untracked (or ignored): like git, never overwrite it. On a resume
  // of an interrupted cut it may hold exactly what that cut wrote, which is ours.
  if (commit === null) {
    const untracked: string[] = [];
    for (const edit of plan.edits) if (edit.before === null && (await occupied(input, edit.path, resumeFrom ? edit.after : null))) untracked.push(edit.path);
    // Tracked as the index is now (committed since plan, say): not in the way, and never to be moved
    // away; HEAD having moved already says to re-plan.
    const tracked = new Set(await releaseGit.tracked(untracked));
    for (const path of untracked.filter((p) => !tracked.has(p))) {
      problems.push({ text: `${path} exists but is not tracked by git: cut would overwrite it (move it away, or commit it and re-plan)`, fix: `mv ${path} ${path}.mine` });
    }
  }
  if (plan.hotfix) {
    // Its branch is its own (hotfix/<version>): whatever is checked out, the cut goes there.
  } else if (input.branch === null) problems.push({ text: detachedHead(input.allowedBranches[0] ?? 'main'), fix: `git checkout ${input.allowedBranches[0] ?? 'main'}` });
  else if (!input.allowedBranches.includes(input.branch)) problems.push({ text: `branch ${input.branch} is not a release branch (versioning.branches: ${input.allowedBranches.join(', ')})`, fix: `git checkout ${input.allowedBranches[0] ?? 'main'}` });
  const localTag = await releaseGit.tagCommit(release.tag);
  if (localTag !== undefined && !(commit !== null && localTag === commit)) {
    problems.push({ text: `tag ${release.tag} already exists here (at ${localTag.slice(0, 7)}): the version is taken, plan the next one`, replan: true });
  }
  if (plan.push) {
    const remoteTag = await remoteTagOf(releaseGit, plan.push.remote, release.tag, resumeFrom ? 'relmgr resume' : 'relmgr cut');
    if (remoteTag !== undefined && !(commit !== null && remoteTag === commit)) {
      problems.push({ text: `tag ${release.tag} already exists on ${plan.push.remote}: another release took the version`, fix: `git pull --rebase --tags ${plan.push.remote} ${plan.push.branch}`, replan: true });
    }
  }
  if (problems.length > 0) {
    throw new PreconditionError('E_CUT_PRECONDITIONS', `cannot cut ${release.version}:`, { details: problems.map((p) => p.text), hint: preconditionHint(problems, resumeFrom ? 'relmgr resume' : 'relmgr cut') });
  }
  return { commit };
}

/** The release a cut makes: its files, commit, tag and push — a plain value, applied by the build phase's effects. */
export async function planRelease(input: ReleaseInput): Promise<ReleasePlan> {
  const { release } = input;
  const commitMessage = `chore(release): v${release.version}`;
  // A hotfix's files are those of its picks onto the base release: its documents list only the picks.
  const hotfix = isHotfix(release) ? await hotfixStart(input.releaseGit, release, commitMessage) : null;
  const branch = hotfix?.branch ?? input.branch;
  return {
    version: release.version,
    tag: release.tag,
    edits: await releaseEdits(hotfix ? { ...input, release: { ...release, base: hotfix.tip } } : input),
    commitMessage,
    push: input.remote !== null && branch !== null ? { remote: input.remote, branch } : null,
    hotfix,
  };
}

/**
 * The build phase's effects: checked before anything is recorded, the release notes written where
 * the steps can read them, then files, one commit, an annotated tag and one atomic push — each
 * recorded, and undone (exactly what this cut did, newest first) when one fails.
 */
export function releaseEffects(input: ReleaseInput, plan: ReleasePlan, notesCopy: string | null): PhaseEffects {
  const { session, release, releaseGit } = input;
  let found: { commit: string | null } = { commit: null };
  // A hotfix: the checkout the cut found, and whether this cut created the hotfix branch (undone when it stops).
  let original: Checkout | null = null;
  let created = false;
  const leave = async (at: string): Promise<string[]> => (plan.hotfix && original && created ? leaveHotfix(releaseGit, plan.hotfix, original, at) : []);
  return {
    async check(resumeFrom) {
      found = await preconditions(input, resumeFrom, plan);
      if (plan.hotfix) original = { branch: await releaseGit.currentBranch(), commit: (await releaseGit.head()).hash };
    },
    async discard() {
      // The steps failed, or a gate holds: back to the checkout the cut found; resume makes the branch again.
      if (plan.hotfix) await leave(plan.hotfix.tip);
      created = false;
    },
    async prepare() {
      if (plan.hotfix) created = await enterHotfix(releaseGit, plan.hotfix);
      // Build steps may read the release notes (RELMGR_NOTES_FILE) before cut writes them into the tree.
      const notes = plan.edits.find((e) => e.path.endsWith('/release-notes.md'));
      if (notes && notesCopy) await input.writeFile(notesCopy, notes.after);
    },
    async apply(where) {
      const applied: string[] = [];
      const created = plan.edits.filter((e) => e.before === null).map((e) => e.path);
      let commit = found.commit;
      try {
        if (commit === null) {
          for (const edit of plan.edits) await input.writeFile(join(input.root, edit.path), edit.after);
          applied.push('files');
          await session.record(session.event('effect.applied', release.version, { kind: 'files', paths: plan.edits.map((e) => e.path), created }, where));
          commit = await releaseGit.commit(plan.edits.map((e) => e.path), plan.commitMessage);
        }
        applied.push('commit');
        await session.record(session.event('effect.applied', release.version, { kind: 'commit', commit }, where));
        if ((await releaseGit.tagCommit(release.tag)) !== commit) await releaseGit.tag(release.tag, commit, `${release.tag}`);
        applied.push('tag');
        await session.record(session.event('effect.applied', release.version, { kind: 'tag', tag: release.tag, commit }, where));
        if (plan.push && (await releaseGit.remoteTagCommit(plan.push.remote, release.tag)) !== commit) {
          await releaseGit.push(plan.push.remote, plan.push.branch, release.tag);
          await session.record(session.event('effect.applied', release.version, { kind: 'push', remote: plan.push.remote }, where));
        }
      } catch (error) {
        const undone = await undo(input, plan, applied, commit, created);
        if (plan.hotfix) undone.push(...(await leave(plan.hotfix.tip)));
        const message = error instanceof Error ? error.message : String(error);
        const hint = cutFailedHint(error, plan);
        await session.record(session.event('effect.undone', release.version, { kinds: undone }, where));
        const failed = new RelmgrError('E_CUT_FAILED', `cut ${release.version} failed: ${message}`, {
          details: [`undone: ${undone.length > 0 ? undone.join(', ') : 'nothing had changed yet'}`],
          hint,
          cause: error,
        });
        throw new EffectsFailed(failed, { error: message, kind: error instanceof RelmgrError ? error.code : 'E_CUT_FAILED', hint });
      }
      return { commit, tag: release.tag, pushed: plan.push !== null };
    },
  };
}

/**
 * What to do after a cut failed and was undone. A push refused because the branch moved on the
 * remote fails the same way on every resume: the release has to be planned on top of it.
 */
function cutFailedHint(error: unknown, plan: ReleasePlan): string {
  const refused = error instanceof RelmgrError && error.code === 'E_PUSH';
  if (refused && plan.push && plan.hotfix && /\[rejected\]|non-fast-forward|fetch first/.test(error.message)) {
    // Someone else's branch of that name: the hotfix branch is made fresh from the base release, never merged into another.
    return `${plan.push.remote} already has a branch ${plan.push.branch}: look at it (git fetch ${plan.push.remote} ${plan.push.branch}), delete it if nothing on it is needed (git push ${plan.push.remote} --delete ${plan.push.branch}), then relmgr resume`;
  }
  if (refused && plan.push && /\[rejected\]|non-fast-forward|fetch first/.test(error.message)) {
    return `the branch moved on ${plan.push.remote}: git pull --rebase --tags ${plan.push.remote} ${plan.push.branch}, then relmgr plan --replace`;
  }
  // A remote that did not answer: the cut is resumed (a fresh cut refuses a failed one), with or without its push.
  if (error instanceof RelmgrError && (error.code === 'E_NETWORK_TIMEOUT' || error.code === 'E_REMOTE') && plan.push) {
    return `check the remote (git ls-remote ${plan.push.remote}), then: relmgr resume; or without pushing: relmgr resume --no-push (for a slow remote raise network.timeout)`;
  }
  // Otherwise the cause's own hint (a refused push) says what to do before resuming.
  return error instanceof RelmgrError && error.hint ? error.hint : 'fix the cause, then: relmgr resume';
}

/** Undoes exactly the local effects this cut made, newest first — never a blanket reset. */
async function undo(input: ReleaseInput, plan: ReleasePlan, applied: string[], commit: string | null, created: string[]): Promise<string[]> {
  const { releaseGit, release } = input;
  const undone: string[] = [];
  if (applied.includes('tag') || ((await releaseGit.tagCommit(release.tag)) === commit && commit !== null)) {
    await releaseGit.deleteTag(release.tag);
    undone.push('tag');
  }
  const start = plan.hotfix?.tip ?? release.base;
  if (commit !== null && (await releaseGit.head()).hash === commit) {
    if (await releaseGit.moveHead(commit, start)) undone.push('commit');
    else undone.push(`NOT the commit ${commit.slice(0, 7)} (the branch moved; remove it by hand)`);
  }
  if (applied.includes('files') || applied.includes('commit')) {
    const tracked = plan.edits.filter((e) => e.before !== null).map((e) => e.path);
    await releaseGit.restore(start, tracked);
    await releaseGit.unstage(created);
    for (const path of created) await input.removeFile(join(input.root, path));
    undone.push('files');
  }
  return undone;
}

