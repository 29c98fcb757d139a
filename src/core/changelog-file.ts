import { compare, gt, valid } from 'semver';

export const CHANGELOG_HEADER =
  '# Changelog\n\nAll notable changes to this project are documented in this file. Versions follow [Semantic Versioning](https://semver.org).\n';

/** A release heading: `## [1.4.0](…) (date)`, `### 1.3.1 (date)`, `## Unreleased`. */
const HEADING = /^#{1,3}[ \t]+\[?v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?|Unreleased)\]?(?=[\s(]|$)/i;

interface Heading {
  line: number;
  key: string;
}

function headings(lines: readonly string[]): Heading[] {
  const out: Heading[] = [];
  let fence = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) return;
    const match = HEADING.exec(line);
    if (match) out.push({ line: index, key: (match[1] as string).toLowerCase() });
  });
  return out;
}

/** True when a release `a` belongs above release `b` (newer first; Unreleased on top). */
function isNewer(a: string, b: string): boolean {
  if (a === 'unreleased') return true;
  if (b === 'unreleased') return false;
  if (valid(a) && valid(b)) return compare(a, b) > 0;
  return false;
}

/**
 * Which sections are stale leftovers of an unreleased version: written for a next version that
 * never got its tag (`## [1.4.0]` yesterday, the next version is 2.0.0 today), or `## Unreleased`.
 * A section is stale when its version has no release tag and is above the current release; a
 * version that has a release tag is never stale. Without a current version, only `Unreleased` is.
 */
export function staleUnreleased(current: string | null, tagged: ReadonlySet<string>): (key: string) => boolean {
  return (key) => {
    if (key === 'unreleased') return true;
    if (current === null || valid(key) === null || tagged.has(key)) return false;
    return gt(key, current);
  };
}

/** Removes every section whose heading key `drop` selects (heading to the next heading). */
function dropSections(existing: string, drop: (key: string) => boolean, keep: string): string {
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const lines = existing.split(/\r?\n/);
  const found = headings(lines);
  const gone = found.map((h, i) => ({ h, i })).filter(({ h }) => h.key !== keep && drop(h.key));
  if (gone.length === 0) return existing;
  let out = lines;
  for (const { h, i } of [...gone].reverse()) {
    const end = found[i + 1]?.line ?? out.length;
    out = [...out.slice(0, h.line), ...out.slice(end)];
  }
  const text = out.join(eol);
  return `${text.replace(/(\r?\n)+$/, '')}${eol}`;
}

/**
 * Inserts a rendered section into a changelog: under the title/intro and above older releases;
 * a section for the same version is replaced, never duplicated, and so is every section `stale`
 * selects (see staleUnreleased). Everything outside the touched sections is kept byte-for-byte,
 * including CRLF line endings.
 */
export function upsertChangelogSection(original: string | undefined, section: string, key: string, stale?: (key: string) => boolean): string {
  const wanted = key.toLowerCase();
  const existing = original === undefined || stale === undefined ? original : dropSections(original, stale, wanted);
  const body = section.replace(/\s+$/, '');
  if (existing === undefined || existing.trim() === '') return `${CHANGELOG_HEADER}\n${body}\n`;
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const lines = existing.split(/\r?\n/);
  const text = body.split('\n').join(eol);
  const found = headings(lines);
  const same = found.findIndex((h) => h.key === wanted);
  if (same >= 0) {
    const start = (found[same] as Heading).line;
    const end = found[same + 1]?.line ?? lines.length;
    const after = lines.slice(end);
    const tail = after.length > 0 && end < lines.length ? `${eol}${eol}${after.join(eol)}` : existing.endsWith(eol) ? eol : '';
    return `${lines.slice(0, start).join(eol)}${start > 0 ? eol : ''}${text}${tail}`;
  }
  const before = found.find((h) => isNewer(wanted, h.key)) ?? (found.length > 0 && wanted === 'unreleased' ? found[0] : undefined);
  if (before) {
    const head = lines.slice(0, before.line).join(eol);
    const rest = lines.slice(before.line).join(eol);
    return `${head}${before.line > 0 ? eol : ''}${text}${eol}${eol}${rest}`;
  }
  // Older than everything listed (or nothing listed yet): append after the existing content.
  const trimmed = existing.replace(/(\r?\n)+$/, '');
  return `${trimmed}${eol}${eol}${text}${eol}`;
}
