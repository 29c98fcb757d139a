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
  const parentsOf = new Map<string, readonly string[]>();
  for (const commit of commits) parentsOf.set(commit.hash, commit.parents);
  const owner = new Map<string, string>();
  for (const tag of tags) {
    const stack = [tag.commit];
    while (stack.length > 0) {
      const hash = stack.pop() as string;
      if (owner.has(hash)) continue;
      const parents = parentsOf.get(hash);
      if (parents === undefined) continue;
      owner.set(hash, tag.name);
      for (const parent of parents) if (!owner.has(parent)) stack.push(parent);
    }
  }
  const unreleased = new Set<string>();
  for (const commit of commits) if (!owner.has(commit.hash)) unreleased.add(commit.hash);
  return { owner, unreleased };
}
