import { describe, expect, it } from 'vitest';
import { parseCommit, type ParsedCommit } from '../../src/core/commits.js';
import { buildReleaseModel } from '../../src/core/model.js';
import { releasableCommits } from '../../src/core/releasable.js';
import type { ReleaseTag } from '../../src/core/tags.js';
import { computeNextVersion, type VersionOptions } from '../../src/core/version.js';

/** A tiny history: `name: parent,parent message`, newest first, hashes derived from the names. */
const hashOf = (name: string): string => Buffer.from(name).toString('hex').padEnd(40, '0').slice(0, 40);

function history(entries: [name: string, parents: string[], message: string][]): ParsedCommit[] {
  return entries.map(([name, parents, message]) =>
    parseCommit({ hash: hashOf(name), parents: parents.map(hashOf), authorName: 'T', authorEmail: 't@example.com', date: '2026-11-21T00:00:00Z', message }),
  );
}

const defaults: VersionOptions = { tagTemplate: 'v{version}', initial: '0.1.0', initialDevelopment: { breaking: 'minor', feature: 'minor' }, types: {}, track: 'normal' };
const v1: ReleaseTag = { name: 'v1.0.0', commit: hashOf('base'), date: '2026-01-01T00:00:00Z', version: '1.0.0', prerelease: false };
const next = (commits: ParsedCommit[], options: Partial<VersionOptions> = {}, prereleases: ReleaseTag[] = []) =>
  computeNextVersion({ lastRelease: v1, commits, taggedVersions: new Set(['1.0.0', ...prereleases.map((t) => t.version)]), prereleases }, { ...defaults, ...options });
const subjects = (commits: readonly ParsedCommit[]): string[] => commits.map((c) => c.header);

describe('a commit and its revert', () => {
  it.each<[string, string]>([
    ['revert: <header> + This reverts commit', 'revert: feat: add export\n\nThis reverts commit HASH.'],
    ["git's Revert \"<header>\"", 'Revert "feat: add export"\n\nThis reverts commit HASH.'],
    ['an abbreviated hash', 'Revert "feat: add export"\n\nThis reverts commit SHORT.'],
    ['no hash: matched by header', 'Revert "feat: add export"'],
  ])('cancel out when both are unreleased (%s)', (_name, template) => {
    const message = template.replace('HASH', hashOf('a')).replace('SHORT', hashOf('a').slice(0, 10));
    const commits = history([
      ['r', ['b'], message],
      ['b', ['a'], 'docs: readme'],
      ['a', ['base'], 'feat: add export'],
    ]);
    expect(subjects(releasableCommits(commits).commits)).toEqual(['docs: readme']);
    const result = next(commits);
    expect(result.next).toBeNull();
    expect(result.reasons).toEqual([]);
    expect(result.message).toContain('2 commit(s) cancelled out by their reverts');
    const model = buildReleaseModel({ project: null, version: null, previousVersion: '1.0.0', tag: null, previousTag: 'v1.0.0', toRef: 'HEAD', date: '2026-11-21', bump: null, commits, links: null });
    expect(model.groups).toEqual([]);
  });

  it.each<[string, [string, string[], string][], string]>([
    [
      'a feat and its revert',
      [
        ['r', ['a'], 'Revert "feat: add export"'],
        ['a', ['base'], 'feat: add export'],
      ],
      '2 commit(s) since v1.0.0, none left once commits and their reverts cancel out (skipped: 2 commit(s) cancelled out by their reverts): nothing to release',
    ],
    [
      'a feat, its revert and a docs commit',
      [
        ['r', ['b'], 'Revert "feat: add export"'],
        ['b', ['a'], 'docs: readme'],
        ['a', ['base'], 'feat: add export'],
      ],
      '3 commit(s) since v1.0.0, none left that is a feat, fix, perf, revert or breaking change once commits and their reverts cancel out (skipped: 2 commit(s) cancelled out by their reverts): nothing to release',
    ],
  ])('says truly why there is nothing to release: %s', (_name, shape, message) => {
    const result = next(history(shape));
    expect(result.next).toBeNull();
    expect(result.message).toBe(message);
    expect(result.message).not.toContain('none of them a feat');
  });

  it('leaves the others alone: the bump comes from what is left', () => {
    const commits = history([
      ['r', ['b'], `Revert "feat!: drop v1 API"\n\nThis reverts commit ${hashOf('a')}.`],
      ['b', ['a'], 'fix: crash'],
      ['a', ['base'], 'feat!: drop v1 API\n\nBREAKING CHANGE: v1 is gone'],
    ]);
    const result = next(commits);
    expect(result).toMatchObject({ next: '1.0.1', bump: 'patch' });
    expect(result.reasons.map((r) => r.subject)).toEqual(['crash']);
  });

  it('keeps a revert of a released commit: a patch', () => {
    const commits = history([['r', ['base'], `Revert "feat: old"\n\nThis reverts commit ${hashOf('old')}.`]]);
    expect(next(commits)).toMatchObject({ next: '1.0.1', bump: 'patch' });
  });

  it('brings a commit back when its revert is reverted', () => {
    const commits = history([
      ['r2', ['r1'], `Revert "Revert "feat: a""\n\nThis reverts commit ${hashOf('r1')}.`],
      ['r1', ['a'], `Revert "feat: a"\n\nThis reverts commit ${hashOf('a')}.`],
      ['a', ['base'], 'feat: a'],
    ]);
    expect(subjects(releasableCommits(commits).commits)).toEqual(['feat: a']);
    expect(next(commits).next).toBe('1.1.0');
  });

  it('reads the revert in bump mode as in full mode', () => {
    const raw = { hash: hashOf('r'), parents: [hashOf('a')], authorName: 'T', authorEmail: 't@e', date: '2026-11-21T00:00:00Z', message: `revert: feat: a\n\nThis reverts commit ${hashOf('a')}.` };
    expect(parseCommit(raw, 'bump').reverts).toEqual(parseCommit(raw, 'full').reverts);
    expect(parseCommit(raw, 'bump').reverts).toEqual({ header: 'feat: a', hash: hashOf('a') });
  });
});

describe('merge commits', () => {
  // main: base ← m1(merge of topic) ; topic: t2 ← t1 ← base
  const merged = (mergeMessage: string, t1: string, t2: string) =>
    history([
      ['m1', ['base', 't2'], mergeMessage],
      ['t2', ['t1'], t2],
      ['t1', ['base'], t1],
    ]);

  it.each<[string, string, string, string | null, string[]]>([
    // merge message, branch commits, next, subjects the documents list
    ['feat(api): bulk import (#42)', 'wip', 'more wip', '1.1.0', ['feat(api): bulk import (#42)', 'more wip', 'wip']],
    ['feat(api): bulk import (#42)', 'feat(api): bulk import', 'test: cover it', '1.1.0', ['test: cover it', 'feat(api): bulk import']],
    ['fix: crash (#7)', 'fix: crash', 'fix: and another', '1.0.1', ['fix: and another', 'fix: crash']],
    ['feat: search (#8)', 'fix: a', 'docs: b', '1.1.0', ['feat: search (#8)', 'docs: b', 'fix: a']],
    ["Merge branch 'topic'", 'fix: a', 'docs: b', '1.0.1', ['docs: b', 'fix: a']],
    ["Merge branch 'topic'", 'chore: a', 'docs: b', null, ['docs: b', 'chore: a']],
  ])('merge %j over %j, %j → %s, listed once', (message, t1, t2, expected, listed) => {
    const commits = merged(message, t1, t2);
    expect(next(commits).next).toBe(expected);
    expect(subjects(releasableCommits(commits).commits)).toEqual(listed);
    const reasons = next(commits).reasons.map((r) => r.hash);
    expect(new Set(reasons).size).toBe(reasons.length);
  });

  it('says how many merge commits were skipped when there is nothing to release', () => {
    const commits = history([
      ['m2', ['m1', 'u'], 'chore: merge u'],
      ['u', ['base'], 'chore: u'],
      ['m1', ['base', 't'], "Merge branch 'topic'"],
      ['t', ['base'], 'docs: t'],
    ]);
    expect(next(commits).message).toBe(
      '2 commit(s) since v1.0.0, none of them a feat, fix, perf, revert or breaking change (skipped: 1 merge commit(s) without a conventional message, 1 merge commit(s) already counted by their branch commits): nothing to release',
    );
  });

  it('drops the branch commits of a reverted merge with it', () => {
    const commits = history([
      ['r', ['m1'], `Revert "feat: search (#8)"\n\nThis reverts commit ${hashOf('m1')}.`],
      ['m1', ['base', 't2'], 'feat: search (#8)'],
      ['t2', ['t1'], 'fix: search edge case'],
      ['t1', ['base'], 'feat: search'],
    ]);
    expect(releasableCommits(commits).commits).toEqual([]);
    expect(next(commits).next).toBeNull();
  });
});

describe('pre-releases', () => {
  const rc0: ReleaseTag = { name: 'v1.1.0-rc.0', commit: hashOf('a'), date: '2026-01-02T00:00:00Z', version: '1.1.0-rc.0', prerelease: true };

  it('has nothing to release right after a pre-release was tagged', () => {
    const commits = history([['a', ['base'], 'feat: a']]);
    expect(next(commits, { pre: 'rc' }, [rc0])).toMatchObject({ next: null, message: 'no releasable commit since v1.1.0-rc.0: nothing to release' });
    // The stable release still counts everything since v1.0.0.
    expect(next(commits, {}, [rc0]).next).toBe('1.1.0');
  });

  it.each<[string, string | null]>([
    ['docs: only docs', null],
    ['fix: b', '1.1.0-rc.1'],
    ['feat!: c', '2.0.0-rc.0'],
  ])('after the pre-release, %j → %s', (message, expected) => {
    const commits = history([
      ['b', ['a'], message],
      ['a', ['base'], 'feat: a'],
    ]);
    expect(next(commits, { pre: 'rc' }, [rc0]).next).toBe(expected);
  });
});

describe('the project version when there is no release tag', () => {
  const fromProject = (version: string, messages: string[], options: Partial<VersionOptions> = {}) =>
    computeNextVersion(
      {
        lastRelease: null,
        commits: history(messages.map((m, i) => [`c${i}`, [`c${i + 1}`], m])),
        taggedVersions: new Set(),
        projectVersion: { version, source: 'package.json' },
      },
      { ...defaults, ...options },
    );

  it.each<[string, string[], Partial<VersionOptions>, string | null, string]>([
    ['1.4.2', ['feat: a'], {}, '1.5.0', 'minor'],
    ['1.4.2', ['fix: a'], {}, '1.4.3', 'patch'],
    ['1.4.2', ['feat!: a'], {}, '2.0.0', 'major'],
    ['1.0.0', ['feat: a'], {}, '1.1.0', 'minor'],
    ['0.0.0', ['feat: a'], {}, '0.1.0', 'minor'],
    ['0.0.0', ['fix: a'], {}, '0.0.1', 'patch'],
    ['1.4.2', ['docs: a'], {}, null, 'none'],
    ['1.4.2', ['fix: a'], { releaseAs: '3.0.0' }, '3.0.0', 'release-as'],
    ['1.4.2', ['fix: a'], { track: 'emergency' }, '1.4.3', 'patch'],
  ])('%s + %j %j → %s (%s)', (version, messages, options, expected, bump) => {
    const result = fromProject(version, messages, options);
    expect(result).toMatchObject({ current: version, next: expected, bump, previousTag: null });
  });

  it('never proposes a version below the current one', () => {
    expect(() => fromProject('1.4.2', ['fix: a'], { releaseAs: '1.0.0' })).toThrow('not greater than the current version (package.json) 1.4.2');
    expect(fromProject('1.4.2', ['chore: a']).message).toBe(
      '1 commit(s) since 1.4.2 (the version in package.json; no release tag yet), none of them a feat, fix, perf, revert or breaking change: nothing to release',
    );
  });
});
