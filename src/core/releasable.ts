import { commitLevel, LEVEL_RANK, type BumpLevel } from './bump.js';
import type { ParsedCommit } from './commits.js';

/**
 * Which commits of an unreleased range count — for the bump, the reasons and every document:
 *
 * - A commit and its revert, both in the range, cancel out (as conventional-changelog does); a
 *   revert of a merge takes the merge's branch commits with it. Reverts are matched newest first,
 *   so reverting a revert brings the original back. A revert of a released commit stays.
 * - A merge commit counts when its own message is conventional (the "merge with the PR title"
 *   workflow). When its branch brings conventional commits that already ask for at least the
 *   merge's bump, the merge is left out: the change is listed once, by the branch commits, which
 *   carry the detail (scopes, breaking notes, issue references). A merge that says more than its
 *   commits (a `feat:` title over `fix:` commits) stays.
 * - Merges with a message that is not conventional ("Merge branch 'x'") never count.
 */
export interface Releasable {
  commits: ParsedCommit[];
  /** Merge commits left out because their message is not a Conventional Commit. */
  plainMerges: number;
  /** Conventional merge commits left out because their branch commits already count. */
  coveredMerges: number;
  /** Commits left out because they were reverted in the same range (the reverts included). */
  cancelled: number;
}

type Types = Readonly<Record<string, BumpLevel>>;

/** The branch commits each merge on the first-parent line brings in (one pass, oldest merge first). */
function branchCommits(commits: readonly ParsedCommit[]): Map<string, string[]> {
  const byHash = new Map(commits.map((c) => [c.hash, c]));
  const parentOf = new Set<string>();
  for (const c of commits) for (const p of c.parents) parentOf.add(p);
  const mainline: ParsedCommit[] = [];
  const onMainline = new Set<string>();
  for (const tip of commits) {
    if (parentOf.has(tip.hash)) continue;
    let at: ParsedCommit | undefined = tip;
    while (at !== undefined && !onMainline.has(at.hash)) {
      onMainline.add(at.hash);
      mainline.push(at);
      at = at.parents[0] === undefined ? undefined : byHash.get(at.parents[0]);
    }
  }
  const claimed = new Set<string>();
  const out = new Map<string, string[]>();
  for (let i = mainline.length - 1; i >= 0; i--) {
    const merge = mainline[i] as ParsedCommit;
    if (!merge.merge) continue;
    const mine: string[] = [];
    const stack = merge.parents.slice(1);
    while (stack.length > 0) {
      const hash = stack.pop() as string;
      if (onMainline.has(hash) || claimed.has(hash)) continue;
      const commit = byHash.get(hash);
      if (commit === undefined) continue;
      claimed.add(hash);
      mine.push(hash);
      for (const p of commit.parents) stack.push(p);
    }
    out.set(merge.hash, mine);
  }
  return out;
}

/** Finds what a revert reverts among the older, still-counted commits: by hash, else by header. */
function targetFinder(commits: readonly ParsedCommit[], live: ReadonlySet<string>): (from: number, revert: NonNullable<ParsedCommit['reverts']>) => ParsedCommit | undefined {
  const index = new Map(commits.map((c, i) => [c.hash, i]));
  let byHeader: Map<string, number[]> | undefined;
  const usable = (i: number | undefined, from: number): ParsedCommit | undefined => {
    const c = i === undefined || i <= from ? undefined : commits[i];
    return c !== undefined && live.has(c.hash) ? c : undefined;
  };
  return (from, revert) => {
    if (revert.hash !== null && revert.hash.length === 40) return usable(index.get(revert.hash), from);
    if (revert.hash !== null) {
      const prefix = revert.hash;
      for (let i = from + 1; i < commits.length; i++) if ((commits[i] as ParsedCommit).hash.startsWith(prefix) && usable(i, from)) return commits[i];
      return undefined;
    }
    if (byHeader === undefined) {
      byHeader = new Map();
      commits.forEach((c, i) => {
        const list = byHeader?.get(c.header);
        if (list) list.push(i);
        else byHeader?.set(c.header, [i]);
      });
    }
    for (const i of byHeader.get(revert.header ?? '') ?? []) {
      const found = usable(i, from);
      if (found) return found;
    }
    return undefined;
  };
}

/** The commits that count, newest first, from a range's commits (newest first). Pure, O(commits). */
export function releasableCommits(commits: readonly ParsedCommit[], types: Types = {}): Releasable {
  const hasMerge = commits.some((c) => c.merge);
  // The usual range — no merge, no revert — is taken as it is, without building any index.
  if (!hasMerge && !commits.some((c) => c.reverts !== null)) return { commits: commits.slice(), plainMerges: 0, coveredMerges: 0, cancelled: 0 };
  const branches = hasMerge ? branchCommits(commits) : new Map<string, string[]>();
  const live = new Set(commits.map((c) => c.hash));
  let cancelled = 0;
  if (commits.some((c) => c.reverts !== null)) {
    const findTarget = targetFinder(commits, live);
    commits.forEach((commit, index) => {
      if (commit.reverts === null || !live.has(commit.hash)) return;
      const target = findTarget(index, commit.reverts);
      if (target === undefined) return;
      for (const hash of [commit.hash, target.hash, ...(branches.get(target.hash) ?? [])]) {
        if (live.delete(hash)) cancelled += 1;
      }
    });
  }
  let plainMerges = 0;
  let coveredMerges = 0;
  const byHash = hasMerge ? new Map(commits.map((c) => [c.hash, c])) : undefined;
  const kept = commits.filter((commit) => {
    if (!live.has(commit.hash)) return false;
    if (!commit.merge) return true;
    if (commit.type === null) {
      plainMerges += 1;
      return false;
    }
    const rank = LEVEL_RANK[commitLevel(commit, types)];
    const covered = (branches.get(commit.hash) ?? []).some((hash) => {
      const c = byHash?.get(hash);
      return c !== undefined && live.has(hash) && c.type !== null && LEVEL_RANK[commitLevel(c, types)] >= rank;
    });
    if (covered) coveredMerges += 1;
    return !covered;
  });
  return { commits: kept, plainMerges, coveredMerges, cancelled };
}
