import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { redactUrlCredentials } from '../core/redact.js';
import { createRunner } from './git.js';

/** The git operations of `relmgr cut`: each one small, explicit, and undoable by the engine. */
export interface ReleaseGit {
  /** Tracked files with changes (staged or not); untracked files do not count. */
  changedFiles(): Promise<string[]>;
  head(): Promise<{ hash: string; parents: string[]; subject: string }>;
  tagCommit(tag: string): Promise<string | undefined>;
  /** Whether this clone has the commit (a release cut with --no-push elsewhere is not here). */
  hasCommit(commit: string): Promise<boolean>;
  /** Whether `ancestor` is `descendant` or one of its ancestors (false when either is not in this clone). */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Those of `paths` that git tracks now (in the index). */
  tracked(paths: readonly string[]): Promise<string[]>;
  /** The commit a tag points at on the remote (peeled), or undefined. */
  remoteTagCommit(remote: string, tag: string): Promise<string | undefined>;
  /** The file at a commit, or undefined when it does not exist there. */
  show(commit: string, path: string): Promise<string | undefined>;
  commit(paths: readonly string[], message: string): Promise<string>;
  tag(tag: string, commit: string, message: string): Promise<void>;
  deleteTag(tag: string): Promise<void>;
  /** Moves the current branch from `from` back to `to` (only if it is still at `from`). */
  moveHead(from: string, to: string): Promise<boolean>;
  /** Index and working tree of `paths` as they are at `commit`. */
  restore(commit: string, paths: readonly string[]): Promise<void>;
  /** Drops paths from the index (files relmgr created that `commit` does not have). */
  unstage(paths: readonly string[]): Promise<void>;
  /** One atomic push of the branch (to `from`, HEAD by default) and the tag. */
  push(remote: string, branch: string, tag: string, from?: string): Promise<void>;
  /**
   * Cherry-picks `picks` (in order, with -x) onto `base` in a throwaway worktree, never in this
   * checkout: the new tip (commits no branch points at yet), or the pick that does not apply.
   */
  pickOnto(base: string, picks: readonly string[]): Promise<PickResult>;
  /** The commit a local branch points at, or undefined. */
  branchCommit(branch: string): Promise<string | undefined>;
  /** Creates a branch at `commit`; false when it already exists. */
  createBranch(branch: string, commit: string): Promise<boolean>;
  /** Deletes a branch, only while it still points at `commit`. */
  deleteBranch(branch: string, commit: string): Promise<boolean>;
  /** Checks out a branch, or a commit detached (`detach`): the working tree must be clean of tracked changes. */
  checkout(ref: string, detach?: boolean): Promise<void>;
  /** The checked-out branch, or undefined on a detached HEAD. */
  currentBranch(): Promise<string | undefined>;
}

/** A cherry-pick onto a base: the tip it made, or the first pick that did not apply and why. */
export type PickResult = { tip: string } | { failed: string; reason: string; files: string[] };

/** `timeoutMs`: how long ls-remote and push may wait on the remote (then E_NETWORK_TIMEOUT). */
export function createReleaseGit(cwd: string, env: Readonly<Record<string, string | undefined>>, timeoutMs: number): ReleaseGit {
  const git = createRunner(cwd, env);
  // cut and resume name the exact command (relmgr resume --no-push after a failed cut).
  const hint = 'check the remote (git ls-remote), then run the command again (cut and resume can go on without pushing: --no-push; for a slow remote raise network.timeout)';
  return {
    async changedFiles() {
      const out = (await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=no'])).stdout;
      return out.split('\0').filter(Boolean).map((entry) => entry.slice(3));
    },
    async head() {
      // The subject comes last: it may hold any byte but a newline.
      const [hash = '', parents = '', ...subject] = (await git.run(['log', '-1', '--format=%H%n%P%n%s', 'HEAD'])).stdout.replace(/\n$/, '').split('\n');
      return { hash, parents: parents.split(' ').filter(Boolean), subject: subject.join('\n') };
    },
    async tagCommit(tag) {
      const out = (await git.run(['rev-parse', '--quiet', '--verify', `refs/tags/${tag}^{commit}`], [1, 128])).stdout.trim();
      return out || undefined;
    },
    async hasCommit(commit) {
      return (await git.run(['cat-file', '-e', `${commit}^{commit}`], [1, 128])).exitCode === 0;
    },
    async isAncestor(ancestor, descendant) {
      return (await git.run(['merge-base', '--is-ancestor', ancestor, descendant], [1, 128])).exitCode === 0;
    },
    async tracked(paths) {
      if (paths.length === 0) return [];
      const out = (await git.run(['ls-files', '-z', '--', ...paths])).stdout;
      return out.split('\0').filter(Boolean);
    },
    async remoteTagCommit(remote, tag) {
      const network = { remote, timeoutMs, purpose: `ask ${remote} for tag ${tag}`, hint };
      const result = await git.run(['ls-remote', '--tags', remote, `refs/tags/${tag}`, `refs/tags/${tag}^{}`], [2, 128], { network });
      if (result.exitCode !== 0) {
        throw new RuntimeError('E_REMOTE', `could not ask ${remote} for its tags: ${redactUrlCredentials(result.stderr).trim()}`, { hint: 'check the remote (git ls-remote), or cut with --no-push' });
      }
      const lines = result.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
      const peeled = lines.find(([, ref]) => ref?.endsWith('^{}')) ?? lines[0];
      return peeled?.[0];
    },
    async show(commit, path) {
      const result = await git.run(['show', `${commit}:${path}`], [128]);
      return result.exitCode === 0 ? result.stdout : undefined;
    },
    async commit(paths, message) {
      // -f: a repository may ignore .relmgr/; the release files are committed on purpose.
      await git.run(['add', '--force', '--', ...paths]);
      await git.run(['commit', '--quiet', '-m', message, '--', ...paths]);
      return (await git.run(['rev-parse', 'HEAD'])).stdout.trim();
    },
    async tag(tag, commit, message) {
      await git.run(['tag', '--annotate', '--message', message, tag, commit]);
    },
    async deleteTag(tag) {
      await git.run(['tag', '--delete', tag], [1]);
    },
    async moveHead(from, to) {
      return (await git.run(['update-ref', '-m', 'relmgr: undo release commit', 'HEAD', to, from], [1, 128])).exitCode === 0;
    },
    async restore(commit, paths) {
      if (paths.length > 0) await git.run(['checkout', commit, '--', ...paths]);
    },
    async unstage(paths) {
      if (paths.length > 0) await git.run(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...paths]);
    },
    async push(remote, branch, tag, from = 'HEAD') {
      const network = { remote, timeoutMs, purpose: `push ${branch} and ${tag}`, hint };
      const result = await git.run(['push', '--atomic', '--porcelain', remote, `${from}:refs/heads/${branch}`, `refs/tags/${tag}:refs/tags/${tag}`], [1, 128], { network });
      if (result.exitCode !== 0) {
        // git's own `hint:` lines ("git pull …") would contradict relmgr's recipe: the refusal is kept, its advice is not.
        const said = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => !/^hint:/.test(line)).join('\n');
        throw new RuntimeError('E_PUSH', `the push to ${remote} was refused: ${redactUrlCredentials(said).trim()}`, {
          hint: `fetch and look (git fetch ${remote}); then relmgr resume`,
        });
      }
    },
    async pickOnto(base, picks) {
      const dir = await mkdtemp(join(tmpdir(), 'relmgr-pick-'));
      const tree = join(dir, 'tree');
      try {
        await git.run(['worktree', 'add', '--detach', '--quiet', tree, base]);
        const there = createRunner(tree, env);
        for (const pick of picks) {
          const result = await there.run(['cherry-pick', '-x', pick], [1, 128]);
          if (result.exitCode === 0) continue;
          const files = (await there.run(['diff', '--name-only', '--diff-filter=U'], [1, 128])).stdout.split('\n').filter(Boolean);
          const said = `${result.stderr}\n${result.stdout}`.split('\n').find((line) => /^(error|fatal|CONFLICT)|empty/.test(line.trim())) ?? '';
          return { failed: pick, reason: files.length > 0 ? 'conflict' : said.trim().replace(/^(error|fatal): /, '') || 'cherry-pick failed', files };
        }
        return { tip: (await there.run(['rev-parse', 'HEAD'])).stdout.trim() };
      } finally {
        await git.run(['worktree', 'remove', '--force', tree], [128]).catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
        await git.run(['worktree', 'prune'], [128]).catch(() => undefined);
      }
    },
    async branchCommit(branch) {
      const out = (await git.run(['rev-parse', '--quiet', '--verify', `refs/heads/${branch}^{commit}`], [1, 128])).stdout.trim();
      return out || undefined;
    },
    async createBranch(branch, commit) {
      // update-ref with an all-zero old value creates the branch only if it does not exist.
      return (await git.run(['update-ref', '-m', 'relmgr: hotfix branch', `refs/heads/${branch}`, commit, '0'.repeat(40)], [1, 128])).exitCode === 0;
    },
    async deleteBranch(branch, commit) {
      return (await git.run(['update-ref', '-m', 'relmgr: undo hotfix branch', '-d', `refs/heads/${branch}`, commit], [1, 128])).exitCode === 0;
    },
    async checkout(ref, detach = false) {
      await git.run(['checkout', '--quiet', ...(detach ? ['--detach'] : []), ref, '--']);
    },
    async currentBranch() {
      const out = (await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], [1, 128])).stdout.trim();
      return out || undefined;
    },
  };
}
