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

const SEMVER_TAIL = /^(|.*?[^0-9.])((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

export interface DetectedTagFormat {
  /** The template the tags follow, e.g. `{version}` or `app-v{version}`. */
  template: string;
  /** The highest-versioned tag in that format. */
  example: string;
  /** How many tags follow it. */
  count: number;
}

/**
 * The format of the semver-looking tags of a repository: a prefix followed by a strict semantic
 * version (`1.2.3`, `v1.2.3`, `app-v1.2.3`, `api/1.2.3`). The format most tags follow wins (ties:
 * the one with the highest version). Null when no tag looks like a release.
 */
export function detectTagFormat(names: readonly string[]): DetectedTagFormat | null {
  const formats = new Map<string, { count: number; best: SemVer; example: string }>();
  for (const name of names) {
    const match = SEMVER_TAIL.exec(name);
    if (match === null) continue;
    const version = parse(match[2] as string);
    if (version === null) continue;
    const template = `${match[1] as string}{version}`;
    const known = formats.get(template);
    if (known === undefined) formats.set(template, { count: 1, best: version, example: name });
    else {
      known.count += 1;
      if (version.compare(known.best) > 0) Object.assign(known, { best: version, example: name });
    }
  }
  let found: DetectedTagFormat | null = null;
  let best: SemVer | null = null;
  for (const [template, { count, best: version, example }] of formats) {
    if (found === null || best === null || count > found.count || (count === found.count && version.compare(best) > 0)) {
      found = { template, example, count };
      best = version;
    }
  }
  return found;
}
