import { describe, expect, it } from 'vitest';
import { parseCommit } from '../../src/core/commits.js';
import { commit } from '../helpers/commits.js';

describe('parseCommit', () => {
  it.each([
    ['feat(api): add export', { type: 'feat', scope: 'api', subject: 'add export', breaking: false }],
    ['fix: handle nulls', { type: 'fix', scope: null, subject: 'handle nulls', breaking: false }],
    ['feat(api)!: drop v1', { type: 'feat', scope: 'api', subject: 'drop v1', breaking: true }],
    ['chore!: drop node 18', { type: 'chore', scope: null, subject: 'drop node 18', breaking: true }],
    ['FEAT: shout', { type: 'feat', scope: null, subject: 'shout', breaking: false }],
    ['Fix(Parser): mixed case', { type: 'fix', scope: 'Parser', subject: 'mixed case', breaking: false }],
    ['fix: y\n\nBREAKING CHANGE: z', { type: 'fix', subject: 'y', breaking: true }],
    ['fix: y\n\nBREAKING-CHANGE: z', { type: 'fix', subject: 'y', breaking: true }],
    ['docs: y\n\nBREAKING CHANGES: plural is not the keyword', { type: 'docs', breaking: false }],
    ['Revert "feat: a"\n\nThis reverts commit abc1234.', { type: 'revert', subject: 'Revert "feat: a"', breaking: false }],
    ['revert: feat: a', { type: 'revert', breaking: false }],
    ['Update README', { type: null, scope: null, subject: 'Update README', breaking: false }],
    ['Merge branch \'x\'', { type: null, subject: "Merge branch 'x'" }],
    ['feat:missing space', { type: null, subject: 'feat:missing space' }],
    ['', { type: null, subject: '', breaking: false }],
    ['   \n\n  ', { type: null, breaking: false }],
  ])('%j', (message, expected) => {
    expect(commit(message)).toMatchObject(expected);
  });

  it('keeps the breaking note as the migration text', () => {
    expect(commit('feat: x\n\nBREAKING CHANGE: call y() instead').breakingNotes).toEqual([{ text: 'call y() instead' }]);
    expect(commit('feat(api)!: remove x').breakingNotes).toEqual([{ text: 'remove x' }]);
  });

  it.each([
    ['feat: a\n\nRelease-As: 2.0.0', '2.0.0'],
    ['chore: a\n\nrelease-as: 1.0.0-rc.1', '1.0.0-rc.1'],
    ['chore: Release-As: 2.0.0 in the subject is not a footer', null],
    ['feat: a', null],
  ])('Release-As footer of %j', (message, expected) => {
    expect(commit(message).releaseAs).toBe(expected);
  });

  it('survives very long and odd messages', () => {
    const long = `feat: ${'x'.repeat(200_000)}\n\n${'body '.repeat(100_000)}`;
    const parsed = commit(long);
    expect(parsed.type).toBe('feat');
    expect(commit('fix: bad \uFFFD\uFFFD bytes').subject).toBe('bad \uFFFD\uFFFD bytes');
    expect(commit('feat: a\0b').type).toBe('feat');
  });

  it.each([
    'feat(api): add x\n\nlong body\nwith lines\n\nCloses #1',
    'fix: y\n\nBREAKING CHANGE: z\nmore text',
    'fix: y\n\n* BREAKING-CHANGE: z',
    'chore: release\n\nRelease-As: 2.0.0',
    'Revert "feat: a"\n\nThis reverts commit abc1234.',
    'docs: only\n\nsomething about breaking changes in prose',
    'feat!: bang\n\nbody',
    'not conventional\n\nbody',
  ])('reads the same bump facts in bump mode: %j', (message) => {
    const raw = { hash: 'f'.repeat(40), parents: ['0'.repeat(40)], authorName: 'a', authorEmail: 'b', date: '', message };
    const pick = (c: ReturnType<typeof parseCommit>) => [c.type, c.scope, c.subject, c.breaking, c.releaseAs];
    expect(pick(parseCommit(raw, 'bump'))).toEqual(pick(parseCommit(raw, 'full')));
  });

  describe('huge messages: the footers that change the version are found at any size', () => {
    const big = 'lorem ipsum dolor sit amet '.repeat(4000); // ~108 KB, past the 64 KiB the parser sees
    it.each<[string, string]>([
      ['a BREAKING CHANGE footer after 100 KB of body', `fix: a\n\n${big}\n\nBREAKING CHANGE: the API moved`],
      ['a BREAKING-CHANGE footer after 100 KB of body', `fix: a\n\n${big}\n\nBREAKING-CHANGE: the API moved`],
      ['a footer after one 100 KB line', `fix: a\n\n${big.replace(/ /g, '_')}\nBREAKING CHANGE: the API moved`],
      ['a footer after many lines', `fix: a\n\n${'line\n'.repeat(30_000)}\nbreaking change: the API moved`],
      ['an indented, bulleted footer', `fix: a\n\n${big}\n\n * BREAKING CHANGE: the API moved`],
    ])('%s', (_name, message) => {
      for (const detail of ['full', 'bump'] as const) {
        const parsed = parseCommit({ hash: 'f'.repeat(40), parents: [], authorName: 'a', authorEmail: 'b', date: '', message }, detail);
        expect(parsed.breaking).toBe(true);
        expect(parsed.breakingNotes).toEqual([{ text: 'the API moved' }]);
      }
    });

    it('finds a Release-As footer after the cap, and no footer in prose', () => {
      expect(commit(`chore: a\n\n${big}\n\nRelease-As: 3.0.0`).releaseAs).toBe('3.0.0');
      expect(commit(`fix: a\n\n${big} BREAKING CHANGE: mid-line prose`).breaking).toBe(false);
      expect(commit(`fix: a\n\n${big}\nnot BREAKING CHANGE: mid-line`).breaking).toBe(false);
    });
  });

  it('costs no more per byte on long body lines than on short ones', () => {
    // conventional-commits-parser's "match nothing" reference regex costs the square of a line's length.
    const messages = (length: number) =>
      Array.from({ length: 300 }, (_, i) => `feat: change ${i}\n\n${'word '.repeat(length / 5)}\n\nRefs: nothing`);
    const time = (list: string[]) => {
      const start = performance.now();
      list.forEach((message, i) => parseCommit({ hash: i.toString(16).padStart(40, '0'), parents: [], authorName: 'a', authorEmail: 'b', date: '', message }));
      return performance.now() - start;
    };
    time(messages(70)); // warm-up
    const short = time(messages(70));
    const long = time(messages(1900)); // 27x the bytes of the short lines
    // Per byte, long lines must not cost more than short ones: 27x the bytes, well under 27x the time.
    expect(long).toBeLessThan(Math.max(short, 5) * 10);
  });

  it('marks merges', () => {
    expect(commit('Merge pull request #1 from a/b', { merge: true }).merge).toBe(true);
  });
});
