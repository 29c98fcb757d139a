import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/core/diff.js';
import { gitEnv } from '../helpers/repo.js';

const numbered = (count: number, from = 1) => Array.from({ length: count }, (_, i) => `l${i + from}\n`).join('');
const ten = numbered(10);

// name, before, after, context, expected diff
const cases: Array<[string, string, string, number, string]> = [
  ['identical', ten, ten, 3, ''],
  ['a small edit', ten, ten.replace('l5\n', 'L5\n'), 3, '--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n'],
  ['an addition at the end', 'a\nb\n', 'a\nb\nc\n', 3, '--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,3 @@\n a\n b\n+c\n'],
  ['an addition at the top', ten, `l0\n${ten}`, 3, '--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,4 @@\n+l0\n l1\n l2\n l3\n'],
  ['no trailing newline on either side', 'a\nb', 'a\nc', 3, '--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n'],
  ['a trailing newline added', 'a\nb', 'a\nb\n', 3, '--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n'],
  ['a trailing newline removed', 'a\n', 'a', 3, '--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n'],
  ['an unchanged last line without newline as context', 'a\nb\nc', 'A\nb\nc', 3, '--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n\\ No newline at end of file\n'],
  ['from empty', '', 'a\nb\n', 3, '--- a/f.txt\n+++ b/f.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n'],
  ['to empty', 'a\n', '', 3, '--- a/f.txt\n+++ b/f.txt\n@@ -1 +0,0 @@\n-a\n'],
  ['a deletion in the middle', ten, ten.replace('l5\nl6\n', ''), 3, '--- a/f.txt\n+++ b/f.txt\n@@ -2,8 +2,6 @@\n l2\n l3\n l4\n-l5\n-l6\n l7\n l8\n l9\n'],
  ['two hunks', numbered(20), numbered(20).replace('l2\n', 'L2\n').replace('l18\n', 'L18\n'), 3,
    '--- a/f.txt\n+++ b/f.txt\n@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n l20\n'],
  ['changes 6 lines apart share a hunk', numbered(20), numbered(20).replace('l5\n', 'L5\n').replace('l12\n', 'L12\n'), 3,
    '--- a/f.txt\n+++ b/f.txt\n@@ -2,14 +2,14 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n l9\n l10\n l11\n-l12\n+L12\n l13\n l14\n l15\n'],
  ['context 1', ten, ten.replace('l5\n', 'L5\n'), 1, '--- a/f.txt\n+++ b/f.txt\n@@ -4,3 +4,3 @@\n l4\n-l5\n+L5\n l6\n'],
  ['context 0', ten, ten.replace('l5\n', 'L5\n').replace('l6\n', ''), 0, '--- a/f.txt\n+++ b/f.txt\n@@ -5,2 +5 @@\n-l5\n-l6\n+L5\n'],
  ['a CRLF version line', '{\r\n  "version": "1.3.2"\r\n}\r\n', '{\r\n  "version": "1.4.0"\r\n}\r\n', 3,
    '--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n {\r\n-  "version": "1.3.2"\r\n+  "version": "1.4.0"\r\n }\r\n'],
];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relmgr-diff-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function git(cwd: string, args: string[], input?: string) {
  // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp dir.
  const env = gitEnv(dir, { GIT_CEILING_DIRECTORIES: dirname(dir) });
  return spawnSync('git', args, { cwd, env, input, encoding: 'utf8' });
}

/** Writes each file's `before`, applies the concatenated diffs with `git apply`, and reads the results. */
function applyAll(name: string, files: Array<{ path: string; before: string; diff: string }>, zeroContext = false): string[] {
  const root = join(dir, name);
  for (const f of files) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.before);
  }
  const patch = files.map((f) => f.diff).join('');
  const check = git(root, ['apply', '--check', '--whitespace=nowarn', ...(zeroContext ? ['--unidiff-zero'] : []), '-'], patch);
  expect(check.stderr).toBe('');
  const applied = git(root, ['apply', '--whitespace=nowarn', ...(zeroContext ? ['--unidiff-zero'] : []), '-'], patch);
  expect(applied.status, applied.stderr).toBe(0);
  return files.map((f) => readFileSync(join(root, f.path), 'utf8'));
}

/** A tiny deterministic PRNG (mulberry32) so the generated cases are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('unifiedDiff', () => {
  it.each(cases)('%s', (_name, before, after, context, expected) => {
    expect(unifiedDiff('f.txt', before, after, context)).toBe(expected);
  });

  it('matches git diff hunk for hunk on the cases above', () => {
    const root = join(dir, 'git-diff');
    mkdirSync(root);
    for (const [name, before, after, context, expected] of cases) {
      if (expected === '') continue;
      writeFileSync(join(root, 'a'), before);
      writeFileSync(join(root, 'b'), after);
      const out = git(root, ['diff', '--no-index', '--no-color', `-U${context}`, 'a', 'b']).stdout;
      // git appends the nearest "function" line after a hunk header; relmgr writes none.
      const hunks = out.slice(out.indexOf('@@')).replace(/^(@@ [^@]+ @@).*$/gm, '$1');
      expect(hunks, name).toBe(expected.slice(expected.indexOf('@@')));
    }
  });

  it('produces diffs that git apply turns into exactly the new text', () => {
    const files = cases
      .filter(([, , , context, expected]) => expected !== '' && context > 0)
      .map(([, before, after], i) => ({ path: `case${i}/f.txt`, before, after, diff: unifiedDiff(`case${i}/f.txt`, before, after) }));
    expect(applyAll('cases', files)).toEqual(files.map((f) => f.after));
  });

  it.each([3, 1, 0])('round-trips 200 generated edits through git apply (context %i)', (context) => {
    const next = random(42 + context);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
    // Few distinct lines, so the LCS has many equally long choices to get wrong.
    const pool = ['a', 'b', 'c', '', '  x', 'version: 1.3.2', 'a\r'];
    const file = (count: number, eol: string) => {
      const body = Array.from({ length: count }, () => pick(pool)).join(eol);
      return next() < 0.3 || count === 0 ? body : `${body}${eol}`;
    };
    const files = Array.from({ length: 200 }, (_, i) => {
      const eol = i % 5 === 0 ? '\r\n' : '\n';
      const before = file(Math.floor(next() * 25), eol);
      const lines = before.split(eol);
      for (let edits = Math.floor(next() * 4); edits > 0; edits--) {
        const at = Math.floor(next() * (lines.length + 1));
        const kind = next();
        if (kind < 0.4) lines.splice(at, 0, pick(pool));
        else if (kind < 0.7) lines.splice(at, 1);
        else lines.splice(at, 1, pick(pool));
      }
      const after = lines.join(eol);
      const path = `gen${i}/f.txt`;
      return { path, before, after, diff: unifiedDiff(path, before, after, context) };
    }).filter((f) => f.diff !== '');
    expect(files.length).toBeGreaterThan(120);
    expect(applyAll(`gen-${context}`, files, context === 0)).toEqual(files.map((f) => f.after));
  });

  it('replaces the changed middle as one block past 5,000 lines, and that still applies', () => {
    const before = `head\n${numbered(5_001)}tail\n`;
    const after = `head\n${numbered(5_001, 2)}tail\n`;
    const diff = unifiedDiff('big.txt', before, after);
    expect(diff.split('\n').slice(0, 5)).toEqual(['--- a/big.txt', '+++ b/big.txt', '@@ -1,5003 +1,5003 @@', ' head', '-l1']);
    expect(diff.split('\n').filter((line) => line.startsWith('-')).length).toBe(5_002); // 5,001 lines + the `---` header
    expect(applyAll('big', [{ path: 'big.txt', before, diff }])).toEqual([after]);
  });
});
