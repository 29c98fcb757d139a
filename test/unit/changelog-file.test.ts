import { describe, expect, it } from 'vitest';
import { CHANGELOG_HEADER, staleUnreleased, upsertChangelogSection } from '../../src/core/changelog-file.js';

const section = (v: string, body = '* a') => `## [${v}](https://x/compare) (2026-11-21)\n\n### Features\n\n${body}\n`;

const existing = `# Changelog

Some intro the team wrote. Keep it.

## [1.1.0](https://x/compare/v1.0.0...v1.1.0) (2026-10-01)

### Bug Fixes

* old fix

### [1.0.1](https://x) (2026-09-01)

* patch heading style of standard-version

## 1.0.0 (2026-08-01)

* first
`;

describe('upsertChangelogSection', () => {
  it('creates a file with a title', () => {
    expect(upsertChangelogSection(undefined, section('1.0.0'), '1.0.0')).toBe(`${CHANGELOG_HEADER}\n${section('1.0.0')}`);
    expect(upsertChangelogSection('', section('1.0.0'), '1.0.0')).toBe(`${CHANGELOG_HEADER}\n${section('1.0.0')}`);
  });

  it('inserts under the intro and above the previous release, leaving the rest byte-for-byte', () => {
    const out = upsertChangelogSection(existing, section('1.2.0'), '1.2.0');
    const [head, tail] = existing.split('## [1.1.0]');
    expect(out).toBe(`${head}${section('1.2.0')}\n## [1.1.0]${tail}`);
  });

  it('replaces a section of the same version instead of duplicating it', () => {
    const once = upsertChangelogSection(existing, section('1.2.0', '* first render'), '1.2.0');
    const twice = upsertChangelogSection(once, section('1.2.0', '* second render'), '1.2.0');
    expect(twice.match(/## \[1\.2\.0\]/g)).toHaveLength(1);
    expect(twice).toContain('* second render');
    expect(twice).not.toContain('* first render');
    expect(twice.slice(twice.indexOf('## [1.1.0]'))).toBe(existing.slice(existing.indexOf('## [1.1.0]')));
    expect(upsertChangelogSection(twice, section('1.2.0', '* second render'), '1.2.0')).toBe(twice);
  });

  it('replaces a middle section, including ### patch headings', () => {
    const out = upsertChangelogSection(existing, '### [1.0.1](https://y) (2026-09-02)\n\n* rewritten\n', '1.0.1');
    expect(out).toContain('* rewritten');
    expect(out).not.toContain('patch heading style');
    expect(out.slice(out.indexOf('## 1.0.0'))).toBe(existing.slice(existing.indexOf('## 1.0.0')));
    expect(out.slice(0, out.indexOf('### [1.0.1]'))).toBe(existing.slice(0, existing.indexOf('### [1.0.1]')));
  });

  it('puts an older release in order', () => {
    const out = upsertChangelogSection(existing, section('1.0.2'), '1.0.2');
    expect(out.indexOf('[1.0.2]')).toBeGreaterThan(out.indexOf('[1.1.0]'));
    expect(out.indexOf('[1.0.2]')).toBeLessThan(out.indexOf('[1.0.1]'));
    const oldest = upsertChangelogSection(existing, section('0.9.0'), '0.9.0');
    expect(oldest.startsWith(existing.trimEnd())).toBe(true);
    expect(oldest.endsWith(section('0.9.0'))).toBe(true);
  });

  it('keeps CRLF files CRLF', () => {
    const crlf = existing.replace(/\n/g, '\r\n');
    const out = upsertChangelogSection(crlf, section('1.2.0'), '1.2.0');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out.endsWith(crlf.slice(crlf.indexOf('## [1.1.0]')))).toBe(true);
  });

  it('ignores headings inside code fences', () => {
    const fenced = '# Changelog\n\n```\n## 9.9.9\n```\n\n## 1.0.0 (x)\n\n* a\n';
    const out = upsertChangelogSection(fenced, section('1.1.0'), '1.1.0');
    expect(out).toContain('```\n## 9.9.9\n```');
    expect(out.indexOf('[1.1.0]')).toBeLessThan(out.indexOf('## 1.0.0'));
    expect(out.indexOf('[1.1.0]')).toBeGreaterThan(out.indexOf('## 9.9.9'));
  });

  it('keeps an Unreleased section on top', () => {
    const out = upsertChangelogSection(existing, '## Unreleased (2026-11-21)\n\n* wip\n', 'Unreleased');
    expect(out.indexOf('## Unreleased')).toBeLessThan(out.indexOf('## [1.1.0]'));
    expect(out.indexOf('## Unreleased')).toBeGreaterThan(out.indexOf('Keep it.'));
  });

  it.each<[string, string, string | null, string[]]>([
    // written yesterday as, current release, tagged versions, expected headings after writing 2.0.0
    ['1.2.0', '1.1.0', null, ['2.0.0', '1.1.0', '1.0.1', '1.0.0']],
    ['Unreleased', '1.1.0', null, ['2.0.0', '1.1.0', '1.0.1', '1.0.0']],
    ['1.2.0-rc.1', '1.1.0', null, ['2.0.0', '1.1.0', '1.0.1', '1.0.0']],
    // a version with a release tag is never touched
    ['1.2.0', '1.1.0', '1.2.0', ['2.0.0', '1.2.0', '1.1.0', '1.0.1', '1.0.0']],
  ])('replaces a stale unreleased section written as %s', (yesterday, current, alsoTagged, expected) => {
    const written = upsertChangelogSection(existing, yesterday === 'Unreleased' ? '## Unreleased\n\n* wip\n' : section(yesterday, '* old render'), yesterday);
    const tagged = new Set(['1.0.0', '1.0.1', '1.1.0', ...(alsoTagged ? [alsoTagged] : [])]);
    const out = upsertChangelogSection(written, section('2.0.0', '* new render'), '2.0.0', staleUnreleased(current, tagged));
    const headingsOf = (text: string) => [...text.matchAll(/^#{2,3} \[?([0-9][^\]\s]*|Unreleased)/gm)].map((m) => m[1]);
    expect(headingsOf(out)).toEqual(expected);
    expect(out.includes('* old render') || out.includes('* wip')).toBe(alsoTagged !== null);
    // Everything from the current release down is byte-for-byte the same.
    expect(out.endsWith(existing.slice(existing.indexOf('## [1.1.0]')))).toBe(true);
  });

  it('never drops an untagged version at or below the current release, nor anything without a current version', () => {
    const stale = staleUnreleased('1.1.0', new Set(['1.1.0']));
    expect(['1.0.1', '1.0.0', '1.1.0'].map(stale)).toEqual([false, false, false]);
    expect(['1.1.1', 'unreleased'].map(stale)).toEqual([true, true]);
    expect(['9.9.9', 'unreleased'].map(staleUnreleased(null, new Set()))).toEqual([false, true]);
  });
});
