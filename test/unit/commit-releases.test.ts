import { describe, expect, it } from 'vitest';
import { assignCommitsToTags } from '../../src/core/commit-releases.js';

describe('assignCommitsToTags', () => {
  it('gives each commit to the earliest release that contains it, across merges', () => {
    // a ← b ← c(v1) ← d ← m(merge of d and e, e branched from b) ← f(v2) ← g
    const commits = [
      { hash: 'g', parents: ['f'] },
      { hash: 'f', parents: ['m'] },
      { hash: 'm', parents: ['d', 'e'] },
      { hash: 'e', parents: ['b'] },
      { hash: 'd', parents: ['c'] },
      { hash: 'c', parents: ['b'] },
      { hash: 'b', parents: ['a'] },
      { hash: 'a', parents: [] },
    ];
    const { owner, unreleased } = assignCommitsToTags(commits, [
      { name: 'v1', commit: 'c' },
      { name: 'v2', commit: 'f' },
    ]);
    expect(Object.fromEntries(owner)).toEqual({ a: 'v1', b: 'v1', c: 'v1', d: 'v2', e: 'v2', m: 'v2', f: 'v2' });
    expect([...unreleased]).toEqual(['g']);
  });

  it('stops at commits missing from a shallow history', () => {
    const { owner } = assignCommitsToTags([{ hash: 'b', parents: ['a'] }], [{ name: 'v1', commit: 'b' }]);
    expect([...owner.keys()]).toEqual(['b']);
  });
});
