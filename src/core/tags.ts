import { compare, parse } from 'semver';

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
  const index = template.indexOf('{version}');
  if (index < 0) throw new Error(`tag template "${template}" has no {version}`);
  const pattern = new RegExp(
    `^${escapeRegExp(template.slice(0, index))}(.+)${escapeRegExp(template.slice(index + '{version}'.length))}$`,
  );
  return (name) => {
    const candidate = pattern.exec(name)?.[1];
    if (candidate === undefined) return null;
    const parsed = parse(candidate);
    return parsed !== null && parsed.version === candidate ? candidate : null;
  };
}

/** The tags that are releases under `template`, highest version first. Others are ignored. */
export function releaseTags(tags: readonly TagRef[], template: string): ReleaseTag[] {
  const match = tagMatcher(template);
  const out: ReleaseTag[] = [];
  for (const tag of tags) {
    const version = match(tag.name);
    if (version === null) continue;
    out.push({ ...tag, version, prerelease: version.includes('-') });
  }
  return out.sort((a, b) => compare(b.version, a.version) || a.name.localeCompare(b.name));
}
