import type { GitPort, RepoInfo } from '../adapters/git.js';
import type { Clock } from '../adapters/clock.js';
import { parseCommit, type ParsedCommit } from '../core/commits.js';
import { staleUnreleased } from '../core/changelog-file.js';
import { assignCommitsToTags } from '../core/commit-releases.js';
import { buildReleaseModel, type ReleaseModel } from '../core/model.js';
import type { RepoLinks } from '../core/remote.js';
import type { Settings } from '../core/settings.js';
import type { ReleaseTag } from '../core/tags.js';
import { UsageError } from '../errors.js';
import { openRepo, readCommits, type RepoState } from './repo-commits.js';
import { computeNext, type NextOptions } from './next-version.js';

export interface ChangelogEnv {
  git: GitPort;
  info: RepoInfo;
  settings: Settings;
  clock: Clock;
  project: string | null;
  links: RepoLinks | null;
}

/** The next version's section: the unreleased commits. Null when there is nothing to release. */
export async function unreleasedModel(
  env: ChangelogEnv,
  options: NextOptions,
): Promise<{ model: ReleaseModel | null; message?: string; warnings: string[]; stale: (key: string) => boolean }> {
  const { result, commits, repo } = await computeNext(env.git, env.settings, { ...options, detail: 'full' }, env.info);
  const stale = staleUnreleased(result.current, new Set(repo.releases.map((tag) => tag.version)));
  const warnings = result.warnings;
  if (result.next === null) return { model: null, warnings, stale, ...(result.message ? { message: result.message } : {}) };
  const model = buildReleaseModel({
    project: env.project,
    types: env.settings.versioning.types,
    version: result.next,
    previousVersion: result.current,
    tag: result.tag,
    previousTag: result.previousTag,
    toRef: 'HEAD',
    date: env.clock.now(),
    bump: result.bump,
    track: result.track,
    commits,
    links: env.links,
  });
  return { model, warnings, stale };
}

async function resolveRef(git: GitPort, ref: string, flag: string): Promise<string> {
  const hash = await git.resolveCommit(ref);
  if (hash === undefined) {
    throw new UsageError('E_BAD_REF', `${flag} ${ref} does not name a commit in this repository`, {
      hint: 'give a tag, branch or commit (see: git tag --list, git log --oneline)',
    });
  }
  return hash;
}

/** The highest stable release reachable from `commit`, not counting tags at `commit` itself. */
async function releaseBefore(repo: RepoState, commit: string): Promise<ReleaseTag | null> {
  for (const tag of repo.releases) {
    if (tag.prerelease || tag.commit === commit) continue;
    if (await repo.git.isAncestor(tag.commit, commit)) return tag;
  }
  return null;
}

/** Any range: `--from` (default: the release before `--to`) to `--to` (default HEAD). */
export async function rangeModel(env: ChangelogEnv, from: string | undefined, to: string | undefined): Promise<ReleaseModel> {
  const repo = await openRepo(env.git, env.settings, env.info);
  const toRef = to ?? 'HEAD';
  const toCommit = await resolveRef(env.git, toRef, '--to');
  const toTag = repo.releases.find((tag) => tag.name === toRef) ?? null;
  let fromTag: ReleaseTag | null = null;
  let fromCommit: string | null = null;
  if (from !== undefined) {
    fromCommit = await resolveRef(env.git, from, '--from');
    fromTag = repo.releases.find((tag) => tag.name === from) ?? null;
  } else {
    fromTag = await releaseBefore(repo, toCommit);
    fromCommit = fromTag?.commit ?? null;
  }
  const commits = await readCommits(env.git, fromCommit, toCommit);
  return buildReleaseModel({
    project: env.project,
    types: env.settings.versioning.types,
    version: toTag?.version ?? null,
    previousVersion: fromTag?.version ?? null,
    tag: toTag?.name ?? null,
    previousTag: fromTag?.name ?? from ?? null,
    toRef,
    date: toTag ? toTag.date : env.clock.now(),
    bump: null,
    commits,
    links: env.links,
  });
}

/**
 * The whole history, one section per stable release tag reachable from HEAD, newest first.
 * One `git log` of the whole history; commits are assigned to releases in one graph pass.
 */
export async function allModels(env: ChangelogEnv): Promise<ReleaseModel[]> {
  const repo = await openRepo(env.git, env.settings, env.info);
  const commits: ParsedCommit[] = [];
  const byHash = new Map<string, ParsedCommit>();
  await env.git.log({ to: repo.info.head }, (raw) => {
    const parsed = parseCommit(raw);
    commits.push(parsed);
    byHash.set(parsed.hash, parsed);
  });
  const tags = repo.releases.filter((tag) => !tag.prerelease && byHash.has(tag.commit)).reverse();
  const { owner } = assignCommitsToTags(commits, tags);
  const buckets = new Map<string, ParsedCommit[]>(tags.map((tag) => [tag.name, []]));
  for (const commit of commits) {
    const name = owner.get(commit.hash);
    if (name !== undefined) buckets.get(name)?.push(commit);
  }
  const models: ReleaseModel[] = [];
  tags.forEach((tag, index) => {
    const previous = index > 0 ? (tags[index - 1] as ReleaseTag) : null;
    models.push(
      buildReleaseModel({
        project: env.project,
        types: env.settings.versioning.types,
        version: tag.version,
        previousVersion: previous?.version ?? null,
        tag: tag.name,
        previousTag: previous?.name ?? null,
        toRef: tag.name,
        date: tag.date,
        bump: null,
        commits: buckets.get(tag.name) ?? [],
        links: env.links,
      }),
    );
  });
  return models.reverse();
}
