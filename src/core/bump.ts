import type { ParsedCommit } from './commits.js';

export type BumpLevel = 'major' | 'minor' | 'patch' | 'none';

export const LEVEL_RANK: Record<BumpLevel, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** The default type → bump table; `versioning.types` overrides entries. */
export const DEFAULT_TYPE_BUMPS: Readonly<Record<string, BumpLevel>> = {
  feat: 'minor',
  fix: 'patch',
  perf: 'patch',
  revert: 'patch',
};

export interface BumpReason {
  hash: string;
  type: string | null;
  scope: string | null;
  subject: string;
  /** The level this commit asks for, or `release-as` for the commit whose footer forced the version. */
  bump: Exclude<BumpLevel, 'none'> | 'release-as';
  breaking: boolean;
}

export interface BumpResult {
  level: BumpLevel;
  /** Every commit that asks for a bump, in history order (newest first). */
  reasons: BumpReason[];
}

export function commitLevel(commit: ParsedCommit, types: Readonly<Record<string, BumpLevel>> = {}): BumpLevel {
  // A merge counts only by its own conventional message (see releasable.ts).
  if (commit.merge && commit.type === null) return 'none';
  if (commit.breaking) return 'major';
  if (commit.type === null) return 'none';
  return types[commit.type] ?? DEFAULT_TYPE_BUMPS[commit.type] ?? 'none';
}

export function maxLevel(a: BumpLevel, b: BumpLevel): BumpLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** The highest bump any commit asks for, and which commits ask. */
export function computeBump(commits: readonly ParsedCommit[], types: Readonly<Record<string, BumpLevel>> = {}): BumpResult {
  let level: BumpLevel = 'none';
  const reasons: BumpReason[] = [];
  for (const commit of commits) {
    const own = commitLevel(commit, types);
    if (own === 'none') continue;
    level = maxLevel(level, own);
    reasons.push(reasonOf(commit, own));
  }
  return { level, reasons };
}

export function reasonOf(commit: ParsedCommit, bump: BumpReason['bump']): BumpReason {
  return { hash: commit.shortHash, type: commit.type, scope: commit.scope, subject: commit.subject, bump, breaking: commit.breaking };
}
