import { describe, expect, it } from 'vitest';
import { closingReferences, linkIssuesInText } from '../../src/core/references.js';

describe('references', () => {
  it.each([
    ['Closes #12', [['closes', null, '12']]],
    ['fixes #1, #2\nResolved: owner/repo#3', [['fixes', null, '1'], ['fixes', null, '2'], ['resolved', 'owner/repo', '3']]],
    ['see #4', []],
    ['Closes #5\ncloses #5', [['closes', null, '5']]],
    ['', []],
  ])('%j', (text, expected) => {
    expect(closingReferences(text).map((r) => [r.action, r.repository, r.issue])).toEqual(expected);
  });

  it('links #N in text but not in code spans', () => {
    const url = (n: string) => `https://h/i/${n}`;
    expect(linkIssuesInText('fix crash (#12)', url)).toBe('fix crash ([#12](https://h/i/12))');
    expect(linkIssuesInText('use `a#1` here #2', url)).toBe('use `a#1` here [#2](https://h/i/2)');
    expect(linkIssuesInText('fix #3', null)).toBe('fix #3');
    expect(linkIssuesInText('color#fff', url)).toBe('color#fff');
  });
});
