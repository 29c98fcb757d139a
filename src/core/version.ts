import { diff, gt, inc, parse, valid } from 'semver';
import { computeBump, type BumpLevel, type BumpReason } from './bump.js';
import type { ParsedCommit } from './commits.js';
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

function forcedVersion(input: VersionInput, options: VersionOptions): { version: string; source: string } | null {
  if (options.releaseAs !== undefined) return { version: options.releaseAs, source: '--release-as' };
  const footer = input.commits.find((c) => c.releaseAs !== null && !c.merge);
  return footer ? { version: footer.releaseAs as string, source: `the Release-As footer of commit ${footer.shortHash}` } : null;
}

function checkForced(forced: { version: string; source: string }, current: string | null, tagged: ReadonlySet<string>): string {
  const version = valid(forced.version);
  if (version === null) {
    throw new VersionRuleError(
      `${forced.source} asks for "${forced.version}", which is not a semantic version`,
      'give a version like 2.0.0 (MAJOR.MINOR.PATCH), e.g. relmgr next --release-as 2.0.0',
    );
  }
  if (current !== null && !gt(version, current)) {
    throw new VersionRuleError(
      `${forced.source} asks for ${version}, which is not greater than the last release ${current}`,
      `give a version above ${current}, e.g. relmgr next --release-as ${inc(current, 'major') ?? ''}`,
    );
  }
  if (tagged.has(version)) {
    throw new VersionRuleError(`${forced.source} asks for ${version}, which is already tagged`, 'give a version that has no release tag yet');
  }
  return version;
}

function levelFromDiff(from: string | null, to: string): BumpKind {
  if (from === null) return 'initial';
  const d = diff(from, to);
  if (d === 'major' || d === 'premajor') return 'major';
  if (d === 'minor' || d === 'preminor') return 'minor';
  return 'patch';
}

/** DESIGN.md §3: the next version, the bump and the commits that caused it. Pure. */
export function computeNextVersion(input: VersionInput, options: VersionOptions): VersionResult {
  if (options.pre !== undefined) validatePreId(options.pre);
  const current = input.lastRelease?.version ?? null;
  const previousTag = input.lastRelease?.name ?? null;
  const nonMerge = input.commits.filter((c) => !c.merge);
  const { level, reasons } = computeBump(input.commits, options.types);
  const make = (next: string | null, bump: BumpKind): VersionResult => ({
    current,
    next,
    bump,
    tag: next === null ? null : renderTag(options.tagTemplate, next),
    previousTag,
    commits: nonMerge.length,
    track: options.track,
    reasons,
  });
  const finish = (stable: string, bump: BumpKind): VersionResult =>
    make(options.pre === undefined ? stable : nextPrerelease(stable, options.pre, input.taggedVersions), bump);
  const nothing = (message: string): VersionResult => ({ ...make(null, 'none'), message });

  const forced = forcedVersion(input, options);
  if (forced !== null) {
    const version = checkForced(forced, current, input.taggedVersions);
    return finish(version, options.releaseAs !== undefined ? 'release-as' : levelFromDiff(current, version));
  }
  if (options.track === 'emergency') {
    if (nonMerge.length === 0) return nothing(`no commits since ${previousTag ?? 'the start of history'}: nothing to hotfix`);
    if (current === null) return finish(options.initial, 'initial');
    let patch = inc(current, 'patch') as string;
    while (input.taggedVersions.has(patch)) patch = inc(patch, 'patch') as string;
    return finish(patch, 'patch');
  }
  if (current === null) {
    if (nonMerge.length === 0) return nothing('no commits to release');
    return finish(options.initial, 'initial');
  }
  if (level === 'none') {
    return nothing(
      nonMerge.length === 0
        ? `no commits since ${previousTag}: nothing to release`
        : `${nonMerge.length} commit(s) since ${previousTag}, none of them a feat, fix, perf, revert or breaking change: nothing to release`,
    );
  }
  let effective: Exclude<BumpLevel, 'none'> = level;
  const major = parse(current)?.major ?? 0;
  if (major === 0 && level === 'major' && options.initialDevelopment.breaking === 'minor') effective = 'minor';
  else if (major === 0 && level === 'minor' && options.initialDevelopment.feature === 'patch') effective = 'patch';
  return finish(inc(current, effective) as string, effective);
}
