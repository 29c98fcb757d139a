import { describe, expect, it } from 'vitest';
import { commitLevel, computeBump, type BumpLevel } from '../../src/core/bump.js';
import { commit } from '../helpers/commits.js';

describe('commitLevel: bump rules', () => {
  it.each<[string, BumpLevel]>([
    ['feat!: x', 'major'],
    ['fix(api)!: x', 'major'],
    ['docs!: x', 'major'],
    ['chore: x\n\nBREAKING CHANGE: y', 'major'],
    ['refactor: x\n\nBREAKING-CHANGE: y', 'major'],
    ['feat: x', 'minor'],
    ['feat(scope): x', 'minor'],
    ['fix: x', 'patch'],
    ['perf: x', 'patch'],
    ['revert: x', 'patch'],
    ['Revert "feat: x"\n\nThis reverts commit 1234567.', 'patch'],
    ['docs: x', 'none'],
    ['chore: x', 'none'],
    ['ci: x', 'none'],
    ['test: x', 'none'],
    ['style: x', 'none'],
    ['refactor: x', 'none'],
    ['build: x', 'none'],
    ['wip', 'none'],
    ['', 'none'],
  ])('%j → %s', (message, level) => {
    expect(commitLevel(commit(message))).toBe(level);
  });

  it('gives a merge commit the bump of its own message when it is conventional, else none', () => {
    expect(commitLevel(commit('feat: merged feature', { merge: true }))).toBe('minor');
    expect(commitLevel(commit('feat(api)!: bulk import (#42)', { merge: true }))).toBe('major');
    expect(commitLevel(commit("Merge branch 'topic'", { merge: true }))).toBe('none');
    expect(commitLevel(commit("Merge branch 'topic'\n\nBREAKING CHANGE: only in the body", { merge: true }))).toBe('none');
  });

  it('lets versioning.types remap a type, but never hides a breaking change', () => {
    expect(commitLevel(commit('docs: x'), { docs: 'patch' })).toBe('patch');
    expect(commitLevel(commit('feat: x'), { feat: 'patch' })).toBe('patch');
    expect(commitLevel(commit('fix: x'), { fix: 'none' })).toBe('none');
    expect(commitLevel(commit('docs!: x'), { docs: 'none' })).toBe('major');
  });
});

describe('computeBump', () => {
  it('takes the highest level and lists every commit that asks for a bump', () => {
    const result = computeBump([commit('fix: a'), commit('docs: b'), commit('feat(x): c'), commit('chore: d')]);
    expect(result.level).toBe('minor');
    expect(result.reasons.map((r) => [r.type, r.scope, r.subject, r.bump])).toEqual([
      ['fix', null, 'a', 'patch'],
      ['feat', 'x', 'c', 'minor'],
    ]);
  });

  it('is none for an empty or bump-free range', () => {
    expect(computeBump([]).level).toBe('none');
    expect(computeBump([commit('docs: a'), commit('chore: b')]).level).toBe('none');
  });
});
