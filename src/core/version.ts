import { gt, inc, parse, valid } from 'semver';
import { commitLevel, computeBump, reasonOf, type BumpLevel, type BumpReason } from './bump.js';
import type { ParsedCommit } from './commits.js';
import { releasableCommits, type Releasable } from './releasable.js';
import { renderTag, type ReleaseTag } from './tags.js';

export type Track = 'normal' | 'emergency';

/**
 * 0.x rules. The default (breaking → minor, feature → minor) is what lerna and release-please
 * do; `feature: patch` is standard-version's "preMajor" practice (breaking → minor, feat → patch).
 */
export interface InitialDevelopment {
  breaking: 'minor' | 'major';
  feature: 'minor' | 'patch';
}

export interface VersionOptions {
  tagTemplate: string;
  /** The first version when no release tag exists (default 0.1.0). */
  initial: string;
  /** What a breaking change and a feature do while the major version is 0 (default: both minor). */
  initialDevelopment: InitialDevelopment;
  types: Readonly<Record<string, BumpLevel>>;
  /** Pre-release identifier, e.g. `rc` → 1.4.0-rc.0. */
  pre?: string | undefined;
  /** Forced version from `--release-as` (wins over `Release-As:` footers). */
  releaseAs?: string | undefined;
  track: Track;
}

export interface VersionInput {
  /** The last stable release reachable from HEAD, or null. */
  lastRelease: ReleaseTag | null;
  /** Commits since `lastRelease` (newest first), already parsed. */
  commits: readonly ParsedCommit[];
  /** Every version that already has a release tag (any branch): for pre-release counters and free patches. */
  taggedVersions: ReadonlySet<string>;
  /** The project's own version (package.json or the first version file): the current one when there is no release tag or it is ahead of it. */
  projectVersion?: { version: string; source: string } | null;
  /** The highest release tag in either spelling of the tags (`1.2.3`, `v1.2.3`): `--release-as` below it warns. */
  highestTag?: ReleaseTag | null;
  /** Pre-release tags, highest first: a `--pre` run with nothing new since the last one releases nothing. */
  prereleases?: readonly ReleaseTag[];
}

export type BumpKind = BumpLevel | 'initial' | 'release-as';

export interface VersionResult {
  current: string | null;
  next: string | null;
  bump: BumpKind;
  tag: string | null;
  previousTag: string | null;
  /** Commits in the range, merge commits excluded. */
  commits: number;
  track: Track;
  reasons: BumpReason[];
  /** Problems that did not stop the computation (a malformed Release-As footer, a hotfix with features). */
  warnings: string[];
  /** Why there is nothing to release, for people (stderr). */
  message?: string;
}

export class VersionRuleError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'VersionRuleError';
  }
}

const PRE_ID = /^[0-9A-Za-z-]*[A-Za-z-][0-9A-Za-z-]*$/;

export function validatePreId(id: string): void {
  if (!PRE_ID.test(id)) {
    throw new VersionRuleError(
      `invalid pre-release identifier "${id}": use letters, digits and hyphens, not only digits`,
      'try --pre rc, --pre beta or --pre next',
    );
  }
}

/** `1.4.0` + `rc` → `1.4.0-rc.N` with N one past the highest already tagged. */
function nextPrerelease(base: string, id: string, tagged: ReadonlySet<string>): string {
  let n = 0;
  const prefix = `${base}-${id}.`;
  for (const version of tagged) {
    if (!version.startsWith(prefix)) continue;
    const rest = version.slice(prefix.length);
    if (/^\d+$/.test(rest)) n = Math.max(n, Number(rest) + 1);
  }
  return `${prefix}${n}`;
}

function checkForced(forced: { version: string; source: string }, current: string | null, tagged: ReadonlySet<string>, currentIs = 'the last release'): string {
  const version = valid(forced.version);
  if (version === null) {
    throw new VersionRuleError(
      `${forced.source} asks for "${forced.version}", which is not a semantic version`,
      'give a version like 2.0.0 (MAJOR.MINOR.PATCH), e.g. relmgr next --release-as 2.0.0',
    );
  }
  if (current !== null && !gt(version, current)) {
    throw new VersionRuleError(
      `${forced.source} asks for ${version}, which is not greater than ${currentIs} ${current}`,
      `give a version above ${current}, e.g. relmgr next --release-as ${inc(current, 'major') ?? ''}`,
    );
  }
  if (tagged.has(version)) {
    throw new VersionRuleError(`${forced.source} asks for ${version}, which is already tagged`, 'give a version that has no release tag yet');
  }
  return version;
}

/** The newest usable `Release-As:` footer; the others are warnings, never errors. */
function footerVersion(commits: readonly ParsedCommit[], current: string | null, currentIs: string, tagged: ReadonlySet<string>, warnings: string[]): { version: string; commit: ParsedCommit } | null {
  for (const commit of commits) {
    if (commit.releaseAs === null) continue;
    try {
      return { version: checkForced({ version: commit.releaseAs, source: `the Release-As footer of commit ${commit.shortHash}` }, current, tagged, currentIs), commit };
    } catch (error) {
      if (!(error instanceof VersionRuleError)) throw error;
      warnings.push(`${error.message}: the footer is ignored`);
    }
  }
  return null;
}

/** Commits of the range not reachable from `from` (walked inside the range only). */
function notReachableFrom(commits: readonly ParsedCommit[], from: string): Set<string> {
  const byHash = new Map(commits.map((c) => [c.hash, c]));
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const hash = stack.pop() as string;
    const commit = byHash.get(hash);
    if (commit === undefined || seen.has(hash)) continue;
    seen.add(hash);
    stack.push(...commit.parents);
  }
  return new Set(commits.filter((c) => !seen.has(c.hash)).map((c) => c.hash));
}

/** The newest pre-release tagged in the range, when no releasable commit came after it. */
function unchangedSincePrerelease(input: VersionInput, counted: Releasable, types: Readonly<Record<string, BumpLevel>>): ReleaseTag | null {
  const inRange = new Set(input.commits.map((c) => c.hash));
  const last = (input.prereleases ?? []).find((tag) => tag.prerelease && inRange.has(tag.commit));
  if (last === undefined) return null;
  const since = notReachableFrom(input.commits, last.commit);
  return counted.commits.some((c) => since.has(c.hash) && commitLevel(c, types) !== 'none') ? null : last;
}

function skippedNote(counted: Releasable): string {
  const parts: string[] = [];
  if (counted.plainMerges > 0) parts.push(`${counted.plainMerges} merge commit(s) without a conventional message`);
  if (counted.coveredMerges > 0) parts.push(`${counted.coveredMerges} merge commit(s) already counted by their branch commits`);
  if (counted.cancelled > 0) parts.push(`${counted.cancelled} commit(s) cancelled out by their reverts`);
  return parts.length > 0 ? ` (skipped: ${parts.join(', ')})` : '';
}

/** Why none of the range's commits asks for a release — true also when a feat was cancelled by its revert. */
function noneLeft(counted: Releasable): string {
  const kinds = 'a feat, fix, perf, revert or breaking change';
  if (counted.cancelled === 0) return `none of them ${kinds}`;
  return counted.commits.length === 0 ? 'none left once commits and their reverts cancel out' : `none left that is ${kinds} once commits and their reverts cancel out`;
}

function hotfixWarning(version: string, commits: readonly ParsedCommit[], types: Readonly<Record<string, BumpLevel>>): string | null {
  const heavy = commits.filter((c) => {
    const level = commitLevel(c, types);
    return level === 'major' || level === 'minor';
  });
  if (heavy.length === 0) return null;
  const breaking = heavy.filter((c) => commitLevel(c, types) === 'major').length;
  const kinds = [heavy.length - breaking > 0 ? `${heavy.length - breaking} feature(s)` : '', breaking > 0 ? `${breaking} breaking change(s)` : ''].filter(Boolean).join(' and ');
  const list = heavy.slice(0, 5).map((c) => `${c.shortHash} ${c.header}`).join('; ');
  return `the emergency patch ${version} carries ${kinds} (${list}${heavy.length > 5 ? '; …' : ''}): a hotfix should carry fixes only`;
}

/** The next version, the bump and the commits that caused it. Pure. */
export function computeNextVersion(input: VersionInput, options: VersionOptions): VersionResult {
  if (options.pre !== undefined) validatePreId(options.pre);
  const own = input.projectVersion ?? null;
  const tagged = input.lastRelease?.version ?? null;
  // The project's own version counts when it is ahead of the last release tag (bumped by hand).
  const project = own !== null && (tagged === null || gt(own.version, tagged)) ? own : null;
  const current = project?.version ?? tagged;
  const previousTag = input.lastRelease?.name ?? null;
  const since = previousTag ?? (project ? `${project.version} (the version in ${project.source}; no release tag yet)` : 'the start of history');
  const currentIs = project ? `the current version (${project.source})` : 'the last release';
  const warnings: string[] = [];
  if (project !== null && input.lastRelease !== null) {
    warnings.push(`${project.source} has version ${project.version}, ahead of the last release tag ${input.lastRelease.name}: the next version is computed from ${project.version}`);
  }
  const nonMerge = input.commits.filter((c) => !c.merge);
  const counted = releasableCommits(input.commits, options.types);
  const { level, reasons } = computeBump(counted.commits, options.types);
  const make = (next: string | null, bump: BumpKind, why: BumpReason[] = reasons): VersionResult => ({
    current,
    next,
    bump,
    tag: next === null ? null : renderTag(options.tagTemplate, next),
    previousTag,
    commits: nonMerge.length,
    track: options.track,
    reasons: why,
    warnings,
  });
  const finish = (stable: string, bump: BumpKind, why?: BumpReason[]): VersionResult =>
    make(options.pre === undefined ? stable : nextPrerelease(stable, options.pre, input.taggedVersions), bump, why);
  const nothing = (message: string): VersionResult => ({ ...make(null, 'none'), message });

  if (options.releaseAs !== undefined) {
    const forced = checkForced({ version: options.releaseAs, source: '--release-as' }, current, input.taggedVersions, currentIs);
    const highest = input.highestTag ?? null;
    if (highest !== null && gt(highest.version, forced)) {
      warnings.push(`--release-as ${forced} is below ${highest.name}, a release tag of this project: its versions would go backwards (give a version above ${highest.version} to continue from it)`);
    }
    return finish(forced, 'release-as');
  }
  if (options.track === 'emergency') {
    for (const c of counted.commits) {
      if (c.releaseAs !== null) warnings.push(`the emergency track always bumps patch: the Release-As footer of commit ${c.shortHash} is ignored`);
    }
    if (nonMerge.length === 0) return nothing(`no commits since ${since}: nothing to hotfix`);
    if (current === null) return finish(options.initial, 'initial');
    let patch = inc(current, 'patch') as string;
    while (input.taggedVersions.has(patch)) patch = inc(patch, 'patch') as string;
    const warning = hotfixWarning(patch, counted.commits, options.types);
    if (warning !== null) warnings.push(warning);
    return finish(patch, 'patch');
  }
  const footer = footerVersion(counted.commits, current, currentIs, input.taggedVersions, warnings);
  if (footer !== null) return finish(footer.version, 'release-as', [reasonOf(footer.commit, 'release-as')]);
  if (current === null) {
    if (nonMerge.length === 0) return nothing(`no commits to release${skippedNote(counted)}`);
    return finish(options.initial, 'initial');
  }
  if (level === 'none') {
    return nothing(
      nonMerge.length === 0
        ? `no commits since ${since}${skippedNote(counted)}: nothing to release`
        : `${nonMerge.length} commit(s) since ${since}, ${noneLeft(counted)}${skippedNote(counted)}: nothing to release`,
    );
  }
  if (options.pre !== undefined) {
    const unchanged = unchangedSincePrerelease(input, counted, options.types);
    if (unchanged !== null) return nothing(`no releasable commit since ${unchanged.name}: nothing to release`);
  }
  let effective: Exclude<BumpLevel, 'none'> = level;
  const major = parse(current)?.major ?? 0;
  if (major === 0 && level === 'major' && options.initialDevelopment.breaking === 'minor') effective = 'minor';
  else if (major === 0 && level === 'minor' && options.initialDevelopment.feature === 'patch') effective = 'patch';
  return finish(inc(current, effective) as string, effective);
}
