import { describe, expect, it } from 'vitest';
import { detectTagFormat, releaseAheadInSibling, releaseTags, renderTag, siblingTemplate, tagMatcher } from '../../src/core/tags.js';

describe('tags', () => {
  it.each([
    ['v{version}', 'v1.2.3', '1.2.3'],
    ['v{version}', 'v1.2.3-rc.1', '1.2.3-rc.1'],
    ['v{version}', '1.2.3', null],
    ['v{version}', 'v1.2', null],
    ['v{version}', 'v01.2.3', null],
    ['v{version}', 'vv1.2.3', null],
    ['v{version}', 'v1.2.3.4', null],
    ['v{version}', 'latest', null],
    ['{version}', '1.2.3', '1.2.3'],
    ['{version}', 'v1.2.3', null],
    ['pkg@{version}', 'pkg@2.0.0', '2.0.0'],
    ['release/{version}-final', 'release/2.0.0-final', '2.0.0'],
    ['a.b+{version}', 'a.b+1.0.0', '1.0.0'],
    ['a.b+{version}', 'axb+1.0.0', null],
  ])('template %s matches %s → %s', (template, name, expected) => {
    expect(tagMatcher(template)(name)).toBe(expected);
  });

  it('renders', () => {
    expect(renderTag('v{version}', '1.0.0')).toBe('v1.0.0');
    expect(renderTag('pkg@{version}', '1.0.0')).toBe('pkg@1.0.0');
  });

  it('keeps only release tags, highest version first', () => {
    const tags = ['v1.0.0', 'v1.10.0', 'v1.9.0', 'v2.0.0-rc.1', 'nightly', 'v1.2', 'v2.0.0-rc.0'].map((name) => ({ name, commit: name, date: '' }));
    expect(releaseTags(tags, 'v{version}').map((t) => [t.name, t.prerelease])).toEqual([
      ['v2.0.0-rc.1', true],
      ['v2.0.0-rc.0', true],
      ['v1.10.0', false],
      ['v1.9.0', false],
      ['v1.0.0', false],
    ]);
  });

  it.each<[string[], string | null, string | null]>([
    // tags, detected template, example
    [['1.0.0', '1.2.3', 'latest'], '{version}', '1.2.3'],
    [['v1.0.0', 'v2.0.0-rc.1'], 'v{version}', 'v2.0.0-rc.1'],
    [['app-v1.2.3', 'app-v1.10.0', 'app-v1.9.9'], 'app-v{version}', 'app-v1.10.0'],
    [['api/1.0.0', 'api/1.1.0', 'web@3.0.0'], 'api/{version}', 'api/1.1.0'],
    [['web@3.0.0', 'api/1.0.0'], 'web@{version}', 'web@3.0.0'],
    [['latest', 'v2', 'release-candidate', 'v1.2', 'v01.2.3'], null, null],
    [[], null, null],
    // A project that switched to v…: the newest release's format wins over the older majority.
    [['1.0.0', '1.0.1', '1.1.0', 'v1.2.0', 'v1.2.1'], 'v{version}', 'v1.2.1'],
    [['v1.0.0', 'v1.0.1', 'v1.1.0', '2.0.0'], '{version}', '2.0.0'],
    [['app-1.0.0', 'app-1.1.0', 'app-v1.2.0'], 'app-v{version}', 'app-v1.2.0'],
    // Another package's tags are another lineage: the lineage with most tags still wins.
    [['app-v1.0.0', 'app-v1.1.0', 'api/3.0.0'], 'app-v{version}', 'app-v1.1.0'],
  ])('detects the format of %j', (names, template, example) => {
    const found = detectTagFormat(names);
    expect(found?.template ?? null).toBe(template);
    expect(found?.example ?? null).toBe(example);
  });

  it.each([
    ['{version}', 'v{version}'],
    ['v{version}', '{version}'],
    ['app-v{version}', 'app-{version}'],
    ['api/{version}', 'api/v{version}'],
  ])('the other spelling of %s is %s', (template, sibling) => {
    expect(siblingTemplate(template)).toBe(sibling);
  });

  it.each<[string, string[], string | null]>([
    // template, tags, the release ahead in the other spelling
    ['{version}', ['1.0.0', '1.1.0', 'v1.2.0', 'v1.2.1'], 'v1.2.1'],
    ['v{version}', ['1.0.0', '1.1.0', 'v1.2.0', 'v1.2.1'], null],
    ['{version}', ['1.0.0', '1.1.0', 'v1.1.0'], null],
    ['{version}', ['1.1.0', 'v2.0.0-rc.0'], null],
    ['{version}', ['v1.0.0'], 'v1.0.0'],
    ['{version}', ['1.0.0', 'app-v3.0.0', 'api/v3.0.0'], null],
    ['app-{version}', ['app-1.0.0', 'app-v1.0.1'], 'app-v1.0.1'],
  ])('under %s, tags %j: ahead in the other spelling → %s', (template, names, expected) => {
    const tags = names.map((name) => ({ name, commit: name, date: '' }));
    expect(releaseAheadInSibling(tags, template, releaseTags(tags, template))?.tag.name ?? null).toBe(expected);
  });
});
