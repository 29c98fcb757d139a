import { parse, type SemVer } from 'semver';

export interface TagRef {
  name: string;
  /** The commit the tag points at (peeled for annotated tags). */
  commit: string;
  /** Tagger date for annotated tags, else the commit date (ISO 8601). */
  date: string;
}

export interface ReleaseTag extends TagRef {
  version: string;
  prerelease: boolean;
}

export const DEFAULT_TAG_TEMPLATE = 'v{version}';

export function renderTag(template: string, version: string): string {
  return template.replace('{version}', version);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A matcher for tag names made by `template`; it yields the version only if it is strict semver. */
export function tagMatcher(template: string): (name: string) => string | null {
  const parsed = parsedTagMatcher(template);
  return (name) => parsed(name)?.version ?? null;
}

function parsedTagMatcher(template: string): (name: string) => SemVer | null {
  const index = template.indexOf('{version}');
  if (index < 0) throw new Error(`tag template "${template}" has no {version}`);
  const pattern = new RegExp(
    `^${escapeRegExp(template.slice(0, index))}(.+)${escapeRegExp(template.slice(index + '{version}'.length))}$`,
  );
  return (name) => {
    const candidate = pattern.exec(name)?.[1];
    if (candidate === undefined) return null;
    const parsed = parse(candidate);
    return parsed !== null && parsed.version === candidate ? parsed : null;
  };
}

/** The tags that are releases under `template`, highest version first. Others are ignored. */
export function releaseTags(tags: readonly TagRef[], template: string): ReleaseTag[] {
  const match = parsedTagMatcher(template);
  // Versions are parsed once; semver.compare would parse both sides on every comparison.
  const parsed: { tag: ReleaseTag; semver: SemVer }[] = [];
  for (const tag of tags) {
    const semver = match(tag.name);
    if (semver === null) continue;
    parsed.push({ tag: { ...tag, version: semver.version, prerelease: semver.prerelease.length > 0 }, semver });
  }
  parsed.sort((a, b) => b.semver.compare(a.semver) || a.tag.name.localeCompare(b.tag.name));
  return parsed.map((p) => p.tag);
}

/**
 * The other spelling of the same project's tags: a `v` right before `{version}` is optional, so
 * `{version}` and `v{version}` (and `app-{version}`, `app-v{version}`) are one lineage — a project
 * that switched from `1.2.0` to `v1.3.0`. Tags with another name prefix (`api/1.2.3`) are another
 * package's.
 */
export function siblingTemplate(template: string): string {
  const index = template.indexOf('{version}');
  if (index < 0) throw new Error(`tag template "${template}" has no {version}`);
  return index > 0 && template[index - 1] === 'v' ? template.slice(0, index - 1) + template.slice(index) : `${template.slice(0, index)}v${template.slice(index)}`;
}

/** The lineage a template belongs to: the template without the optional `v` before `{version}`. */
function lineageOf(template: string): string {
  return template.replace('v{version}', '{version}');
}

/**
 * The highest stable release in the other spelling of `template` when it is above every stable
 * release in `template` itself (or there is none): the project moved to that spelling, and
 * releasing in `template` would go back below it. Null when nothing is ahead.
 */
export function releaseAheadInSibling(tags: readonly TagRef[], template: string, releases: readonly ReleaseTag[]): { tag: ReleaseTag; template: string } | null {
  const sibling = siblingTemplate(template);
  const ahead = releaseTags(tags, sibling).find((tag) => !tag.prerelease);
  if (ahead === undefined) return null;
  const own = releases.find((tag) => !tag.prerelease);
  return own === undefined || parse(ahead.version)?.compare(own.version) === 1 ? { tag: ahead, template: sibling } : null;
}

const SEMVER_TAIL = /^(|.*?[^0-9.])((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

export interface DetectedTagFormat {
  /** The template the tags follow, e.g. `{version}` or `app-v{version}`. */
  template: string;
  /** The highest-versioned tag in that format. */
  example: string;
  /** How many tags follow it. */
  count: number;
}

interface FormatStats {
  template: string;
  count: number;
  best: SemVer;
  example: string;
}

/**
 * The format of the semver-looking tags of a repository: a prefix followed by a strict semantic
 * version (`1.2.3`, `v1.2.3`, `app-v1.2.3`, `api/1.2.3`). Formats are grouped in lineages (a `v`
 * before the version is optional: `1.2.0` then `v1.3.0` is one project that switched); the lineage
 * most tags follow wins (ties: the one with the highest version), and within it the format of its
 * newest (highest-version) release — so a project that moved to `v…` keeps `v…`, whatever the
 * number of older tags. Null when no tag looks like a release.
 */
export function detectTagFormat(names: readonly string[]): DetectedTagFormat | null {
  const formats = new Map<string, FormatStats>();
  for (const name of names) {
    const match = SEMVER_TAIL.exec(name);
    if (match === null) continue;
    const version = parse(match[2] as string);
    if (version === null) continue;
    const template = `${match[1] as string}{version}`;
    const known = formats.get(template);
    if (known === undefined) formats.set(template, { template, count: 1, best: version, example: name });
    else {
      known.count += 1;
      if (version.compare(known.best) > 0) Object.assign(known, { best: version, example: name });
    }
  }
  const lineages = new Map<string, { count: number; newest: FormatStats }>();
  for (const stats of formats.values()) {
    const key = lineageOf(stats.template);
    const known = lineages.get(key);
    if (known === undefined) lineages.set(key, { count: stats.count, newest: stats });
    else {
      known.count += stats.count;
      if (newer(stats, known.newest)) known.newest = stats;
    }
  }
  let found: { count: number; newest: FormatStats } | null = null;
  for (const lineage of lineages.values()) {
    if (found === null || lineage.count > found.count || (lineage.count === found.count && newer(lineage.newest, found.newest))) found = lineage;
  }
  return found === null ? null : { template: found.newest.template, example: found.newest.example, count: found.newest.count };
}

function newer(a: FormatStats, b: FormatStats): boolean {
  return a.best.compare(b.best) > 0;
}
