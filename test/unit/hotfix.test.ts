import { describe, expect, it } from 'vitest';
import { hotfixBase } from '../../src/core/hotfix.js';
import { commit } from '../helpers/commits.js';
import { releaseTags } from '../../src/core/tags.js';
import { computeNextVersion } from '../../src/core/version.js';
import { settingsFrom } from '../../src/engine/config.js';

const tags = (...versions: string[]) =>
  releaseTags(
    versions.map((v, i) => ({ name: `v${v}`, commit: `c${v}`, date: `2026-01-0${i + 1}T00:00:00Z` })),
    'v{version}',
  );

const fix = commit('fix: the crash');

describe('the version of a hotfix', () => {
  const cases: Array<{ name: string; releases: string[]; running: string | null; base: string | null; source?: 'production' | 'tag'; next?: string }> = [
    { name: 'production runs 1.2.0 while main is at 1.4.0: 1.2.1', releases: ['1.2.0', '1.3.0', '1.4.0'], running: '1.2.0', base: 'v1.2.0', source: 'production', next: '1.2.1' },
    { name: 'the next patch is taken: the next free one', releases: ['1.2.0', '1.2.1', '1.4.0'], running: '1.2.0', base: 'v1.2.0', source: 'production', next: '1.2.2' },
    { name: 'several taken in a row', releases: ['1.2.0', '1.2.1', '1.2.2', '1.2.3', '1.4.0'], running: '1.2.0', base: 'v1.2.0', source: 'production', next: '1.2.4' },
    { name: 'production runs a hotfix already: its next patch', releases: ['1.2.0', '1.2.1', '1.4.0'], running: '1.2.1', base: 'v1.2.1', source: 'production', next: '1.2.2' },
    { name: 'nothing recorded in production: the last release tag', releases: ['1.2.0', '1.4.0'], running: null, base: 'v1.4.0', source: 'tag', next: '1.4.1' },
    { name: 'the last release tag is a stable one, not a pre-release', releases: ['1.2.0', '1.4.0', '1.5.0-rc.0'], running: null, base: 'v1.4.0', source: 'tag', next: '1.4.1' },
    { name: 'production runs a version with no tag here: the last release tag', releases: ['1.2.0', '1.4.0'], running: '1.1.0', base: 'v1.4.0', source: 'tag', next: '1.4.1' },
    { name: 'no release tag at all: no base', releases: [], running: '1.2.0', base: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const releases = tags(...c.releases);
      const base = hotfixBase(c.running, 'production', releases);
      expect(base?.tag.name ?? null).toBe(c.base);
      if (base === null) return;
      expect(base.source).toBe(c.source);
      const settings = settingsFrom(null);
      const result = computeNextVersion(
        { lastRelease: base.tag, commits: [fix], taggedVersions: new Set(releases.map((t) => t.version)) },
        { tagTemplate: 'v{version}', initial: '0.1.0', initialDevelopment: settings.versioning.initialDevelopment, types: settings.versioning.types, track: 'emergency' },
      );
      expect(result).toMatchObject({ next: c.next, bump: 'patch', previousTag: c.base, commits: 1 });
    });
  }
});
