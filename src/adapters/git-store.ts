import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { redactUrlCredentials } from '../core/redact.js';
import { runBuffer } from './exec.js';
import { createRunner, type GitRunner } from './git.js';
import { addToTree, parseListing, type Listing } from './git-tree.js';

/** A file in a commit's tree: path and blob (and its mode, 100644 unless said). */
export interface TreeEntry {
  path: string;
  blob: string;
  mode?: string;
}

export interface Identity {
  name: string;
  email: string;
}

/**
 * Git as an object store, for the ledger: blobs, trees and commits on a branch of
 * their own, written with plumbing (hash-object, mktree, commit-tree) — never the working tree, the
 * index or the current branch. Refs move by compare-and-swap. Objects never change, so what the
 * store has listed or written (a commit's tree, a blob) is remembered and not asked of git again.
 */
export interface GitStore {
  /** The commit a ref points at, or undefined when the ref does not exist. */
  readRef(ref: string): Promise<string | undefined>;
  listFiles(commit: string): Promise<TreeEntry[]>;
  /** Blob contents by hash, all in one `git cat-file --batch`. */
  readBlobs(blobs: readonly string[]): Promise<Map<string, string>>;
  /** Stores blobs, one git process for all of them; returns their hashes in order. */
  writeBlobs(contents: readonly string[]): Promise<string[]>;
  /**
   * A commit whose tree is `base`'s tree (if any) plus `add`, with these parents: one `mktree` for
   * every tree that changed and one `commit-tree` (plus an `ls-tree` when `base` was never listed here).
   */
  writeCommit(commit: { base: string | null; add: readonly TreeEntry[]; parents: readonly string[]; message: string; identity: Identity }): Promise<string>;
  /** Moves `ref` to `next` only if it still points at `expected` (null: must not exist). False on a race. */
  compareAndSwap(ref: string, next: string, expected: string | null): Promise<boolean>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  remotes(): Promise<string[]>;
  /** A path inside the git directory (for relmgr's lock file). */
  gitPath(name: string): Promise<string>;
  /**
   * Fetches `branch` of `remote` into `into`; 'missing' when the remote has no such branch. Past
   * `timeoutMs` git is stopped and it fails with E_NETWORK_TIMEOUT (the ref is then untouched).
   */
  fetch(remote: string, branch: string, into: string, timeoutMs: number): Promise<'fetched' | 'missing'>;
  /**
   * Pushes `localRef` (a ref or a commit) to `branch` on `remote`; 'rejected' when the remote moved
   * (not a fast-forward) or another push held its ref at that moment (`cannot lock ref`): a race to retry.
   */
  push(remote: string, localRef: string, branch: string, timeoutMs: number): Promise<'pushed' | 'rejected'>;
}

const ZERO = '0'.repeat(40);
/** Tree listings remembered: the ledger's tip and the few commits a merge looks at. */
const LISTINGS_KEPT = 8;
/** A push that lost a race: the remote moved first, or a concurrent push held (locked) its ref. */
/** A fetch that lost a race for the local ref it writes to (another process in this clone fetched at once). */
export const FETCH_RACE = /cannot lock ref|but expected|unable to create '[^']*\.lock'|failed to update ref/i;
const FETCH_RACES = 5;

export const PUSH_RACE = /\[rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref|failed to update ref|incorrect old value|failed to lock/i;
const LEDGER_TIMEOUT_HINT =
  'check the remote (git fetch), then run the command again; for a slow remote raise network.timeout (or RELMGR_NETWORK_TIMEOUT), or keep the ledger local with audit.ledger.push: never';

export function createGitStore(cwd: string, env: Readonly<Record<string, string | undefined>>): GitStore {
  const git: GitRunner = createRunner(cwd, env);
  const identityEnv = (who: Identity): Record<string, string> => ({
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
  });
  // Commit → its whole tree, and blob → contents: objects are immutable, so these never go stale.
  const listings = new Map<string, Listing>();
  const remember = (commit: string, listing: Listing): void => {
    listings.delete(commit);
    listings.set(commit, listing);
    for (const old of listings.keys()) {
      if (listings.size <= LISTINGS_KEPT) break;
      listings.delete(old);
    }
  };
  const blobCache = new Map<string, string>();
  const listing = async (commit: string): Promise<Listing> => {
    const known = listings.get(commit);
    if (known) return known;
    const out = (await git.run(['ls-tree', '-r', '-t', '-z', '--full-tree', commit])).stdout;
    const parsed = parseListing(out);
    remember(commit, parsed);
    return parsed;
  };
  /** Writes the trees that changed, deepest first, in one process; git must agree on every hash. */
  const writeTrees = async (trees: readonly { hash: string; lines: string[] }[]): Promise<string> => {
    const root = trees[trees.length - 1];
    if (root === undefined || root.lines.length === 0) return (await git.run(['mktree'], [], { input: '' })).stdout.trim();
    const input = trees.map((t) => t.lines.map((line) => `${line}\0`).join('')).join('\0');
    const written = (await git.run(['mktree', '-z', '--batch'], [], { input })).stdout.trim().split('\n');
    trees.forEach((tree, i) => {
      if (written[i] !== tree.hash) throw new RuntimeError('E_GIT', `git mktree wrote tree ${written[i] ?? '(none)'} where ${tree.hash} was expected`);
    });
    return root.hash;
  };

  const hashObjects = async (contents: readonly string[]): Promise<string[]> => {
    if (contents.length === 0) return [];
    if (contents.length === 1) return [(await git.run(['hash-object', '-w', '--stdin'], [], { input: contents[0] })).stdout.trim()];
    // Many blobs: temporary files and one `hash-object --stdin-paths`, not a process each.
    const dir = await mkdtemp(join(tmpdir(), 'relmgr-blobs-'));
    try {
      const paths = await Promise.all(contents.map(async (content, i) => {
        const path = join(dir, String(i));
        await writeFile(path, content);
        return path;
      }));
      return (await git.run(['hash-object', '-w', '--stdin-paths'], [], { input: `${paths.join('\n')}\n` })).stdout.trim().split('\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  return {
    async readRef(ref) {
      const out = (await git.run(['rev-parse', '--quiet', '--verify', '--end-of-options', `${ref}^{commit}`], [1, 128])).stdout.trim();
      return out === '' ? undefined : out;
    },
    async listFiles(commit) {
      const entries: TreeEntry[] = [];
      for (const item of (await listing(commit)).values()) if (item.type === 'blob') entries.push({ path: item.path, blob: item.hash, mode: item.mode });
      return entries;
    },
    async readBlobs(blobs) {
      const contents = new Map<string, string>();
      const unknown: string[] = [];
      for (const blob of blobs) {
        const known = blobCache.get(blob);
        if (known === undefined) unknown.push(blob);
        else contents.set(blob, known);
      }
      if (unknown.length === 0) return contents;
      const result = await runBuffer('git', ['cat-file', '--batch', '--buffer'], { cwd, env: git.env, input: `${unknown.join('\n')}\n` }).catch(git.spawnFailed);
      if (result.exitCode !== 0) throw new RuntimeError('E_GIT', `git cat-file failed: ${result.stderr.trim()}`);
      const out = result.stdout;
      let at = 0;
      while (at < out.length) {
        const eol = out.indexOf(0x0a, at);
        const [hash = '', kind = '', size = ''] = out.subarray(at, eol).toString('utf8').split(' ');
        const length = Number(size);
        if (kind === 'missing' || size === '' || !Number.isFinite(length)) {
          throw new RuntimeError('E_LEDGER_CORRUPT', `the ledger refers to object ${hash}, which is missing from this repository`, { hint: 'fetch it again: relmgr ledger sync' });
        }
        const content = out.subarray(eol + 1, eol + 1 + length).toString('utf8');
        contents.set(hash, content);
        blobCache.set(hash, content);
        at = eol + 1 + length + 1;
      }
      return contents;
    },
    async writeBlobs(contents) {
      const hashes = await hashObjects(contents);
      hashes.forEach((hash, i) => blobCache.set(hash, contents[i] as string));
      return hashes;
    },
    async writeCommit({ base, add, parents, message, identity }) {
      const { listing: next, trees } = addToTree(base === null ? new Map() : await listing(base), add);
      const tree = await writeTrees(trees);
      const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message];
      const commit = (await git.run(args, [], { env: identityEnv(identity) })).stdout.trim();
      remember(commit, next);
      return commit;
    },
    async compareAndSwap(ref, next, expected) {
      const result = await git.run(['update-ref', ref, next, expected ?? ZERO], [1, 128]);
      return result.exitCode === 0;
    },
    async isAncestor(ancestor, descendant) {
      return (await git.run(['merge-base', '--is-ancestor', ancestor, descendant], [1, 128])).exitCode === 0;
    },
    async gitPath(name) {
      const out = (await git.run(['rev-parse', '--git-path', name])).stdout.trim();
      return isAbsolute(out) ? out : join(cwd, out);
    },
    async remotes() {
      return (await git.run(['remote'])).stdout.split('\n').filter(Boolean);
    },
    async fetch(remote, branch, into, timeoutMs) {
      const network = { remote, timeoutMs, purpose: 'fetch the ledger', hint: LEDGER_TIMEOUT_HINT };
      let result = await git.run(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${into}`], [1, 128], { network });
      // Another relmgr in this clone (a background notification delivery, a second terminal) fetched
      // into the same ref at that moment: its fetch is as good as ours, so fetch again.
      for (let again = 0; again < FETCH_RACES && result.exitCode !== 0 && FETCH_RACE.test(result.stderr); again++) {
        await new Promise((done) => setTimeout(done, 50 * (again + 1)));
        result = await git.run(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${into}`], [1, 128], { network });
      }
      if (result.exitCode === 0) return 'fetched';
      if (/couldn't find remote ref|no such ref/i.test(result.stderr)) return 'missing';
      throw new RuntimeError('E_LEDGER_FETCH', `could not fetch the ledger from ${remote}: ${redactUrlCredentials(result.stderr).trim()}`, {
        hint: 'check the remote (git fetch), or keep the ledger local with audit.ledger.push: never',
      });
    },
    async push(remote, localRef, branch, timeoutMs) {
      const network = { remote, timeoutMs, purpose: 'push the ledger', hint: LEDGER_TIMEOUT_HINT };
      const result = await git.run(['push', '--quiet', '--porcelain', remote, `${localRef}:refs/heads/${branch}`], [1, 128], { network });
      if (result.exitCode === 0) return 'pushed';
      if (PUSH_RACE.test(result.stdout + result.stderr)) return 'rejected';
      throw new RuntimeError('E_LEDGER_PUSH', `could not push the ledger to ${remote}: ${redactUrlCredentials(result.stderr || result.stdout).trim()}`, {
        hint: 'check your access to the remote (git push), then run: relmgr ledger sync',
      });
    },
  };
}
