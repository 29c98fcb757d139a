import type { ReleaseTag } from './tags.js';

/** The release a hotfix starts from: its tag, and how it was chosen. */
export interface HotfixBase {
  tag: ReleaseTag;
  /** `production`: the ledger says the environment runs it; `tag`: nothing recorded there, the last release tag. */
  source: 'production' | 'tag';
  /** The production-tier environment asked (null: the config has none). */
  env: string | null;
}

/** The branch a hotfix is cut on. */
export const hotfixBranch = (version: string): string => `hotfix/${version}`;

/**
 * The base of a hotfix: the release running in the production-tier environment (from the ledger),
 * else — nothing recorded there, or its tag is gone — the highest stable release tag. Null when
 * the project has no release tag at all. `releases`: every release tag, highest version first.
 */
export function hotfixBase(running: string | null, env: string | null, releases: readonly ReleaseTag[]): HotfixBase | null {
  const deployed = running === null ? undefined : releases.find((tag) => tag.version === running);
  if (deployed) return { tag: deployed, source: 'production', env };
  const last = releases.find((tag) => !tag.prerelease);
  return last ? { tag: last, source: 'tag', env } : null;
}
