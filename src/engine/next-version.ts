import { gt, inc } from 'semver';
import type { FsPort } from '../adapters/fs.js';
import type { GitPort, RepoInfo } from '../adapters/git.js';
import type { ParseDetail, ParsedCommit } from '../core/commits.js';
import type { Settings } from '../core/settings.js';
import type { ReleaseTag } from '../core/tags.js';
import { computeNextVersion, VersionRuleError, type Track, type VersionResult } from '../core/version.js';
import { UsageError } from '../errors.js';
import { openRepo, releaseAndCommits, type RepoState } from './repo-commits.js';
import { projectVersion, versionFilesAbove } from './project-version.js';

export interface NextOptions {
  /** Reads the project's own version (package.json, the first version file): the current one when it is ahead of the tags. */
  fs: FsPort;
  /** `bump` (the default) reads only what the version needs; documents ask for `full`. */
  detail?: ParseDetail;
  pre?: string | undefined;
  releaseAs?: string | undefined;
  track?: Track | undefined;
}

export interface NextComputation {
  repo: RepoState;
  lastRelease: ReleaseTag | null;
  commits: ParsedCommit[];
  result: VersionResult;
}

/** A pre-release id from the config: the emergency track's, or the current branch's. */
async function configuredPrerelease(git: GitPort, settings: Settings, track: Track | undefined): Promise<string | undefined> {
  const { prereleaseBranches, emergencyPrerelease } = settings.versioning;
  if (track === 'emergency') return emergencyPrerelease ?? undefined;
  if (Object.keys(prereleaseBranches).length === 0) return undefined;
  const branch = await git.currentBranch();
  return branch === undefined ? undefined : prereleaseBranches[branch];
}

/** The higher of two release tags (either may be missing). */
function highestOf(a: ReleaseTag | undefined, b: ReleaseTag | undefined): ReleaseTag | null {
  if (a === undefined || b === undefined) return a ?? b ?? null;
  return gt(b.version, a.version) ? b : a;
}

/** Reads the repository and computes the next version with its reasons. */
export async function computeNext(git: GitPort, settings: Settings, options: NextOptions, info?: RepoInfo): Promise<NextComputation> {
  // `--release-as` is a deliberate first release in the configured format, whatever other tags exist.
  const repo = await openRepo(git, settings, info, { firstOfItsFormat: options.releaseAs !== undefined });
  const pre = options.pre ?? (await configuredPrerelease(git, settings, options.track));
  const { lastRelease, commits } = await releaseAndCommits(repo, options.detail ?? 'bump');
  // Read even with a release tag: a version bumped by hand past the tag is the current one.
  const project = await projectVersion(options.fs, repo.info.root, settings.versioning.versionFile, settings.versioning.detectVersionFile === true);
  try {
    const result = computeNextVersion(
      {
        lastRelease,
        commits,
        taggedVersions: new Set(repo.releases.map((tag) => tag.version)),
        projectVersion: project,
        highestTag: highestOf(repo.releases[0], repo.lineage[0]),
        prereleases: repo.releases.filter((tag) => tag.prerelease),
      },
      {
        tagTemplate: settings.versioning.tag,
        initial: settings.versioning.initial,
        initialDevelopment: settings.versioning.initialDevelopment,
        types: settings.versioning.types,
        pre,
        releaseAs: options.releaseAs,
        track: options.track ?? 'normal',
      },
    );
    if (result.next !== null) {
      // plan never writes a version file downward: say so now, not when plan refuses.
      const above = await versionFilesAbove(options.fs, repo.info.root, settings.versioning.versionFiles, result.next);
      const highest = above.reduce((top, f) => (gt(f.version, top) ? f.version : top), result.next);
      if (above.length > 0) {
        result.warnings.push(
          `${result.next} is below the version already in ${above.map((f) => `${f.source} (${f.version})`).join(', ')}: relmgr plan will refuse it (E_VERSION_DOWNGRADE); release above it with --release-as ${inc(highest, 'patch') ?? highest}`,
        );
      }
    }
    return { repo, lastRelease, commits, result };
  } catch (error) {
    if (error instanceof VersionRuleError) throw new UsageError('E_VERSION', error.message, { hint: error.hint });
    throw error;
  }
}
