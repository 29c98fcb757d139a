/** Assigns each commit to the earliest release that contains it — one pass over the graph. */
export interface GraphCommit {
  hash: string;
  parents: readonly string[];
}

export interface TagPoint {
  name: string;
  commit: string;
}

/**
 * `tags` must be in release order (oldest first). Returns the owning tag name of every commit
 * reachable from a tag; commits reachable from no tag are returned as `unreleased`.
 * Marked sets are closed under ancestry, so each walk stops at the first marked commit and the
 * whole history is visited once (O(commits)), not once per tag.
 */
export function assignCommitsToTags(
  commits: readonly GraphCommit[],
  tags: readonly TagPoint[],
): { owner: Map<string, string>; unreleased: Set<string> } {
  const index = new Map<string, number>();
  commits.forEach((commit, i) => index.set(commit.hash, i));
  // owners[i] = 1 + the index of the tag that owns commit i (0: none yet).
  const owners = new Uint32Array(commits.length);
  const stack: number[] = [];
  tags.forEach((tag, t) => {
    const start = index.get(tag.commit);
    if (start === undefined) return;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (owners[i] !== 0) continue;
      owners[i] = t + 1;
      for (const parent of (commits[i] as GraphCommit).parents) {
        const p = index.get(parent);
        if (p !== undefined && owners[p] === 0) stack.push(p);
      }
    }
  });
  const owner = new Map<string, string>();
  const unreleased = new Set<string>();
  commits.forEach((commit, i) => {
    const t = owners[i] as number;
    if (t === 0) unreleased.add(commit.hash);
    else owner.set(commit.hash, (tags[t - 1] as TagPoint).name);
  });
  return { owner, unreleased };
}
