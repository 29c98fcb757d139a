import { describe, expect, it } from 'vitest';
import type { ReleaseTag } from '../../src/core/tags.js';
import { computeNextVersion, VersionRuleError, type VersionOptions } from '../../src/core/version.js';
import { commit } from '../helpers/commits.js';

const defaults: VersionOptions = {
  tagTemplate: 'v{version}',
  initial: '0.1.0',
  initialDevelopment: { breaking: 'minor', feature: 'minor' },
  types: {},
  track: 'normal',
};

function release(version: string): ReleaseTag {
  return { name: `v${version}`, commit: 'c'.repeat(40), date: '2026-01-01T00:00:00Z', version, prerelease: version.includes('-') };
}

function next(last: string | null, messages: string[], options: Partial<VersionOptions> = {}, tagged: string[] = []) {
  return computeNextVersion(
    { lastRelease: last === null ? null : release(last), commits: messages.map((m) => commit(m)), taggedVersions: new Set([...(last ? [last] : []), ...tagged]) },
    { ...defaults, ...options },
  );
}

describe('computeNextVersion', () => {
  it.each<[string | null, string[], Partial<VersionOptions>, string[], string | null, string]>([
    // last release, commits since, options, other tagged versions, expected next, expected bump
    ['1.3.2', ['feat: a'], {}, [], '1.4.0', 'minor'],
    ['1.3.2', ['fix: a'], {}, [], '1.3.3', 'patch'],
    ['1.3.2', ['perf: a'], {}, [], '1.3.3', 'patch'],
    ['1.3.2', ['revert: a'], {}, [], '1.3.3', 'patch'],
    ['1.3.2', ['fix: a', 'feat!: b'], {}, [], '2.0.0', 'major'],
    ['1.3.2', ['chore: a\n\nBREAKING CHANGE: b'], {}, [], '2.0.0', 'major'],
    ['1.3.2', ['docs: a', 'chore: b'], {}, [], null, 'none'],
    ['1.3.2', [], {}, [], null, 'none'],
    // 0.x: breaking → minor, feature → minor, fix → patch
    ['0.4.1', ['feat!: a'], {}, [], '0.5.0', 'minor'],
    ['0.4.1', ['feat: a'], {}, [], '0.5.0', 'minor'],
    ['0.4.1', ['fix: a'], {}, [], '0.4.2', 'patch'],
    ['0.4.1', ['feat!: a'], { initialDevelopment: { breaking: 'major', feature: 'minor' } }, [], '1.0.0', 'major'],
    // standard-version's preMajor: feature → patch, breaking → minor
    ['0.4.1', ['feat: a'], { initialDevelopment: { breaking: 'minor', feature: 'patch' } }, [], '0.4.2', 'patch'],
    ['0.4.1', ['feat!: a'], { initialDevelopment: { breaking: 'minor', feature: 'patch' } }, [], '0.5.0', 'minor'],
    ['1.4.1', ['feat: a'], { initialDevelopment: { breaking: 'minor', feature: 'patch' } }, [], '1.5.0', 'minor'],
    // no release tag yet → initial version
    [null, ['chore: init'], {}, [], '0.1.0', 'initial'],
    [null, ['feat: a'], { initial: '1.0.0' }, [], '1.0.0', 'initial'],
    [null, [], {}, [], null, 'none'],
    // types remap
    ['1.0.0', ['docs: a'], { types: { docs: 'patch' } }, [], '1.0.1', 'patch'],
    // Release-As footer and --release-as
    ['1.3.2', ['chore: a\n\nRelease-As: 2.0.0'], {}, [], '2.0.0', 'release-as'],
    ['1.3.2', ['fix: b', 'chore: a\n\nRelease-As: 1.4.0'], {}, [], '1.4.0', 'release-as'],
    ['1.3.2', ['fix: a'], { releaseAs: '3.1.0' }, [], '3.1.0', 'release-as'],
    ['1.3.2', ['fix: a\n\nRelease-As: 2.0.0'], { releaseAs: '1.5.0' }, [], '1.5.0', 'release-as'],
    [null, ['feat: a'], { releaseAs: '1.0.0' }, [], '1.0.0', 'release-as'],
    ['0.9.0', [], { releaseAs: '1.0.0' }, [], '1.0.0', 'release-as'],
    // pre-releases, counted from the last stable release
    ['1.3.2', ['feat: a'], { pre: 'rc' }, [], '1.4.0-rc.0', 'minor'],
    ['1.3.2', ['feat: a'], { pre: 'rc' }, ['1.4.0-rc.0'], '1.4.0-rc.1', 'minor'],
    ['1.3.2', ['feat: a'], { pre: 'rc' }, ['1.4.0-rc.0', '1.4.0-rc.1', '1.4.0-beta.7'], '1.4.0-rc.2', 'minor'],
    ['1.3.2', ['feat!: b', 'feat: a'], { pre: 'rc' }, ['1.4.0-rc.0', '1.4.0-rc.1'], '2.0.0-rc.0', 'major'],
    ['1.3.2', ['feat: a'], { pre: 'beta' }, ['1.4.0-rc.0'], '1.4.0-beta.0', 'minor'],
    ['1.3.2', ['feat: a'], {}, ['1.4.0-rc.0', '1.4.0-rc.1'], '1.4.0', 'minor'],
    [null, ['feat: a'], { pre: 'alpha' }, [], '0.1.0-alpha.0', 'initial'],
    // emergency: always patch from the last release, to the next free patch
    ['1.3.2', ['feat: a'], { track: 'emergency' }, [], '1.3.3', 'patch'],
    ['1.3.2', ['feat!: a'], { track: 'emergency' }, [], '1.3.3', 'patch'],
    ['1.3.2', ['docs: a'], { track: 'emergency' }, ['1.3.3', '1.3.4'], '1.3.5', 'patch'],
    ['1.3.2', [], { track: 'emergency' }, [], null, 'none'],
  ])('%s + %j %j → %s', (last, messages, options, tagged, expected, bump) => {
    const result = next(last, messages, options, tagged);
    expect(result.next).toBe(expected);
    expect(result.bump).toBe(bump);
    expect(result.tag).toBe(expected === null ? null : `v${expected}`);
    expect(result.current).toBe(last);
  });

  it('renders the tag from the template', () => {
    expect(next('1.0.0', ['feat: a'], { tagTemplate: 'api@{version}' }).tag).toBe('api@1.1.0');
  });

  it('says why there is nothing to release', () => {
    expect(next('1.0.0', ['docs: a']).message).toMatch(/1 commit\(s\) since v1\.0\.0, none of them a feat, fix/);
    expect(next('1.0.0', []).message).toMatch(/no commits since v1\.0\.0/);
  });

  it('counts commits without merges and gives reasons', () => {
    const result = computeNextVersion(
      { lastRelease: release('1.0.0'), commits: [commit('Merge branch x', { merge: true }), commit('feat(api): add export'), commit('docs: y')], taggedVersions: new Set(['1.0.0']) },
      defaults,
    );
    expect(result.commits).toBe(2);
    expect(result.reasons).toEqual([expect.objectContaining({ type: 'feat', scope: 'api', subject: 'add export', bump: 'minor' })]);
    expect(Object.keys(result)).toEqual(['current', 'next', 'bump', 'tag', 'previousTag', 'commits', 'track', 'reasons', 'warnings']);
  });

  it.each<[string | null, Partial<VersionOptions>, string[], RegExp]>([
    ['1.3.2', { releaseAs: 'banana' }, [], /not a semantic version/],
    ['1.3.2', { releaseAs: '1.3.2' }, [], /not greater than the last release 1\.3\.2/],
    ['1.3.2', { releaseAs: '1.0.0' }, [], /not greater/],
    ['1.3.2', { releaseAs: '2.0.0' }, ['2.0.0'], /already tagged/],
    ['1.3.2', { pre: '1' }, [], /invalid pre-release identifier/],
    ['1.3.2', { pre: 'r c' }, [], /invalid pre-release identifier/],
  ])('rejects %s with %j', (last, options, tagged, message) => {
    expect(() => next(last, ['feat: a'], options, tagged)).toThrow(VersionRuleError);
    expect(() => next(last, ['feat: a'], options, tagged)).toThrow(message);
  });

  it.each<[string, string]>([
    ['Release-As: nope', 'asks for "nope", which is not a semantic version'],
    ['Release-As: 0.9.0', 'asks for 0.9.0, which is not greater than the last release 1.0.0'],
    ['Release-As: 1.0.0', 'asks for 1.0.0, which is not greater than the last release 1.0.0'],
  ])('warns about an unusable footer (%s), names its commit and ignores it', (footer, problem) => {
    const bad = commit(`chore: a\n\n${footer}`);
    const result = computeNextVersion({ lastRelease: release('1.0.0'), commits: [commit('fix: b'), bad], taggedVersions: new Set(['1.0.0']) }, defaults);
    expect(result.next).toBe('1.0.1');
    expect(result.bump).toBe('patch');
    expect(result.warnings).toEqual([`the Release-As footer of commit ${bad.shortHash} ${problem}: the footer is ignored`]);
  });

  it('shows the commit whose Release-As footer forced the version as the reason', () => {
    const forcing = commit('chore: release 2.0\n\nRelease-As: 2.0.0');
    const result = computeNextVersion({ lastRelease: release('1.0.0'), commits: [commit('feat: a'), forcing, commit('fix: c')], taggedVersions: new Set(['1.0.0']) }, defaults);
    expect(result).toMatchObject({ next: '2.0.0', bump: 'release-as', warnings: [] });
    expect(result.reasons).toEqual([{ hash: forcing.shortHash, type: 'chore', scope: null, subject: 'release 2.0', bump: 'release-as', breaking: false }]);
  });

  it('never follows a Release-As footer on the emergency track, and warns about it', () => {
    const forcing = commit('fix: a\n\nRelease-As: 2.0.0');
    const result = computeNextVersion({ lastRelease: release('1.3.2'), commits: [forcing], taggedVersions: new Set(['1.3.2']) }, { ...defaults, track: 'emergency' });
    expect(result).toMatchObject({ next: '1.3.3', bump: 'patch' });
    expect(result.warnings).toEqual([`the emergency track always bumps patch: the Release-As footer of commit ${forcing.shortHash} is ignored`]);
  });

  it.each<[string[], string | null]>([
    [['fix: a', 'docs: b'], null],
    [['fix: a', 'feat(api): b'], 'carries 1 feature(s) ('],
    [['feat!: a', 'feat: b'], 'carries 1 feature(s) and 1 breaking change(s) ('],
    [['fix: a\n\nBREAKING CHANGE: gone'], 'carries 1 breaking change(s) ('],
  ])('warns when an emergency patch carries features or breaking changes: %j', (messages, warning) => {
    const result = next('1.3.2', messages, { track: 'emergency' });
    expect(result.next).toBe('1.3.3');
    if (warning === null) expect(result.warnings).toEqual([]);
    else expect(result.warnings).toEqual([expect.stringContaining(`the emergency patch 1.3.3 ${warning}`)]);
  });

  it.each<[string | null, string | null, string[], Partial<VersionOptions>, string | null, string | null, boolean]>([
    // last release tag, project version (package.json), commits, options, expected current, expected next, warned
    ['1.2.3', '1.4.2', ['fix: a'], {}, '1.4.2', '1.4.3', true],
    ['1.2.3', '1.4.2', ['feat: a'], {}, '1.4.2', '1.5.0', true],
    ['1.2.3', '1.4.2', ['feat: a'], { track: 'emergency' }, '1.4.2', '1.4.3', true],
    ['1.2.3', '1.4.2', ['fix: a'], { pre: 'rc' }, '1.4.2', '1.4.3-rc.0', true],
    ['1.2.3', '1.2.3', ['fix: a'], {}, '1.2.3', '1.2.4', false],
    ['1.2.3', '1.0.0', ['fix: a'], {}, '1.2.3', '1.2.4', false],
    ['1.2.3', '1.4.2', ['docs: a'], {}, '1.4.2', null, true],
    [null, '1.4.2', ['fix: a'], {}, '1.4.2', '1.4.3', false],
  ])('last tag %s, package.json %s, %j: current %s', (last, own, messages, options, current, expected, warned) => {
    const result = computeNextVersion(
      {
        lastRelease: last === null ? null : release(last),
        commits: messages.map((m) => commit(m)),
        taggedVersions: new Set(last ? [last] : []),
        projectVersion: own === null ? null : { version: own, source: 'package.json' },
      },
      { ...defaults, ...options },
    );
    expect({ current: result.current, next: result.next, previousTag: result.previousTag }).toEqual({ current, next: expected, previousTag: last === null ? null : `v${last}` });
    expect(result.warnings.filter((w) => w.startsWith('package.json has version'))).toEqual(
      warned ? [`package.json has version ${own}, ahead of the last release tag v${last}: the next version is computed from ${own}`] : [],
    );
  });

  it('never accepts --release-as at or below a project version that is ahead of the tag', () => {
    expect(() =>
      computeNextVersion(
        { lastRelease: release('1.2.3'), commits: [commit('fix: a')], taggedVersions: new Set(['1.2.3']), projectVersion: { version: '1.4.2', source: 'package.json' } },
        { ...defaults, releaseAs: '1.3.0' },
      ),
    ).toThrow('--release-as asks for 1.3.0, which is not greater than the current version (package.json) 1.4.2');
  });

  it.each<[string | null, string, string | null, boolean]>([
    // last release, --release-as, highest tag of the project in either spelling, warned
    [null, '1.0.0', '1.2.3', true],
    [null, '2.0.0', '1.2.3', false],
    [null, '1.2.3', '1.2.3', false],
    ['1.0.0', '1.1.0', '1.5.0', true],
    [null, '1.0.0', null, false],
  ])('last %s, --release-as %s, highest tag %s: warned %s', (last, forced, highest, warned) => {
    const result = computeNextVersion(
      { lastRelease: last === null ? null : release(last), commits: [commit('fix: a')], taggedVersions: new Set(last ? [last] : []), highestTag: highest === null ? null : { ...release(highest), name: highest } },
      { ...defaults, releaseAs: forced },
    );
    expect(result.next).toBe(forced);
    expect(result.warnings).toEqual(warned ? [`--release-as ${forced} is below ${highest}, a release tag of this project: its versions would go backwards (give a version above ${highest} to continue from it)`] : []);
  });
});
