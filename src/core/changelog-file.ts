import { compare, valid } from 'semver';

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
 * Inserts a rendered section into a changelog (DESIGN.md §4): under the title/intro and above
 * older releases; a section for the same version is replaced, never duplicated. Everything
 * outside the touched section is kept byte-for-byte, including CRLF line endings.
 */
export function upsertChangelogSection(existing: string | undefined, section: string, key: string): string {
  const wanted = key.toLowerCase();
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
