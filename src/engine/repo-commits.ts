/** The repository as versions see it: open it, find the last release, read the commits since (one streaming git log). */
import type { GitPort, RepoInfo } from '../adapters/git.js';
import { parseCommit, type ParseDetail, type ParsedCommit, type RawCommit } from '../core/commits.js';
import type { Settings } from '../core/settings.js';
import { detectTagFormat, releaseAheadInSibling, releaseTags, siblingTemplate, type ReleaseTag, type TagRef } from '../core/tags.js';
import { PreconditionError } from '../errors.js';

export interface RepoState {
  git: GitPort;
  info: RepoInfo & { head: string };
  /** Every release tag, highest version first. */
  releases: ReleaseTag[];
  /** The releases in the other spelling of the same project's tags (`1.2.3` for `v{version}`), highest first. */
  lineage: ReleaseTag[];
}

/** Opens the repository: it must exist and have at least one commit. */
export async function openRepo(git: GitPort, settings: Settings, known?: RepoInfo, options: { firstOfItsFormat?: boolean } = {}): Promise<RepoState> {
  const info = known ?? (await git.repoInfo());
  if (info.head === null) {
    throw new PreconditionError('E_NO_COMMITS', `the repository at ${info.root} has no commits yet`, {
      hint: 'make a first commit (git commit), then run relmgr again',
    });
  }
  const tags = await git.tags();
  const template = settings.versioning.tag;
  const releases = releaseTags(tags, template);
  if (options.firstOfItsFormat !== true) {
    if (releases.length === 0) refuseForeignTags(tags, template);
    else refuseReleaseAhead(tags, template, releases);
  }
  return { git, info: { ...info, head: info.head }, releases, lineage: releaseTags(tags, siblingTemplate(template)) };
}

/**
 * A release in the other spelling of the same tags (`v1.2.1` next to `1.1.0` under `{version}`) is
 * above the last release in the configured one: the project switched formats, and computing from
 * the older format would propose a version below its current one. Refused rather than taken as the
 * current version: the tag relmgr would create next must be in the format the project now uses,
 * so the config has to say which one that is.
 */
function refuseReleaseAhead(tags: readonly TagRef[], template: string, releases: readonly ReleaseTag[]): void {
  const ahead = releaseAheadInSibling(tags, template, releases);
  if (ahead === null) return;
  const own = releases.find((tag) => !tag.prerelease);
  const line = `tag: ${JSON.stringify(ahead.template)}`;
  throw new PreconditionError(
    'E_TAG_FORMAT',
    `the release tag ${ahead.tag.name} is above ${own ? `the last release matching versioning.tag "${template}" (${own.name})` : `every tag matching versioning.tag "${template}" (all of them pre-releases)`}: the project's releases moved to the format "${ahead.template}"`,
    {
      hint: `set the format in release.config.yaml, under versioning:  ${line}  (with no config yet, relmgr init writes it)`,
    },
  );
}

/**
 * No tag matches `versioning.tag`, but some look like releases in another format (`1.2.3`,
 * `app-v1.2.3`): treating the project as never released would propose a wrong version, so stop
 * and say which line to write.
 */
function refuseForeignTags(tags: readonly TagRef[], template: string): void {
  const found = detectTagFormat(tags.map((tag) => tag.name));
  if (found === null || found.template === template) return;
  const line = `tag: ${JSON.stringify(found.template)}`;
  throw new PreconditionError(
    'E_TAG_FORMAT',
    `no tag matches versioning.tag "${template}", but ${found.count} tag(s) look like releases in another format, e.g. ${found.example}`,
    {
      hint: `set the format in release.config.yaml, under versioning:  ${line}  (with no config yet, relmgr init writes it); or, to make a first release in "${template}" anyway, name its version: relmgr next --release-as <version> (it is checked against the "${template}" tags only, so pick one above your existing releases)`,
    },
  );
}

/** Candidates checked one by one before asking git for every merged tag at once. */
const DIRECT_CHECKS = 4;

/**
 * The highest stable release tag reachable from HEAD. The highest candidates are
 * checked with `merge-base` (one cheap call each) — `git tag --merged` walks the whole graph.
 */
export async function lastStableRelease(repo: RepoState): Promise<ReleaseTag | null> {
  const stable = repo.releases.filter((tag) => !tag.prerelease);
  for (const tag of stable.slice(0, DIRECT_CHECKS)) {
    if (tag.commit === repo.info.head || (await repo.git.isAncestor(tag.commit, repo.info.head))) return tag;
  }
  if (stable.length <= DIRECT_CHECKS) return checkShallow(repo, null);
  const merged = await repo.git.tagsMergedInto('HEAD');
  return checkShallow(repo, stable.slice(DIRECT_CHECKS).find((tag) => merged.has(tag.name)) ?? null);
}

function checkShallow(repo: RepoState, found: ReleaseTag | null): ReleaseTag | null {
  if (found === null && repo.info.shallow) {
    throw new PreconditionError(
      'E_SHALLOW',
      repo.releases.length === 0
        ? 'this is a shallow clone without release tags: relmgr cannot see the last release'
        : 'this is a shallow clone whose history does not reach the last release tag',
      {
        hint: 'run: git fetch --unshallow --tags (in GitHub Actions: actions/checkout with fetch-depth: 0)',
      },
    );
  }
  return found;
}

/**
 * The last stable release reachable from HEAD and the commits since it. The usual case — the
 * highest release tag is an ancestor of HEAD — costs one `git log --boundary`, which lists the
 * range and answers the ancestry question at once; the log is thrown away only when the guess was
 * wrong (HEAD on an older maintenance line).
 */
export async function releaseAndCommits(repo: RepoState, detail: ParseDetail = 'full'): Promise<{ lastRelease: ReleaseTag | null; commits: ParsedCommit[] }> {
  const head = repo.info.head;
  const top = repo.releases.find((tag) => !tag.prerelease);
  if (top !== undefined && top.commit === head) return { lastRelease: top, commits: [] };
  if (top !== undefined) {
    const boundary = new Set<string>();
    const commits = await readCommits(repo.git, top.commit, head, detail, boundary).catch(() => null);
    if (commits !== null && boundary.has(top.commit)) return { lastRelease: top, commits };
  }
  const lastRelease = await lastStableRelease(repo);
  return { lastRelease, commits: await readCommits(repo.git, lastRelease?.commit ?? null, head, detail) };
}

/** Commits reachable from `to` and not from `from`, parsed, newest first (one streaming git log). */
export async function readCommits(git: GitPort, from: string | null, to: string, detail: ParseDetail = 'full', boundary?: Set<string>): Promise<ParsedCommit[]> {
  const commits: ParsedCommit[] = [];
  await git.log({ from, to, ...(boundary ? { boundary } : {}) }, (raw: RawCommit) => commits.push(parseCommit(raw, detail)));
  return commits;
}
