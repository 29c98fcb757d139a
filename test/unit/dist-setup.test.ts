import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { distIsStale } from '../setup/dist.js';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A project whose files all date from `at` (seconds), dist/main.js included unless `built` is false. */
function project(at: number, built = true): string {
  const root = mkdtempSync(join(tmpdir(), 'relmgr-dist-'));
  roots.push(root);
  const files = ['src/main.ts', 'src/core/deep/x.ts', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'templates/changelog.hbs', ...(built ? ['dist/main.js'] : [])];
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
  }
  for (const path of [...files, 'src', 'src/core', 'src/core/deep', 'scripts']) utimesSync(join(root, path), at, at);
  return root;
}

describe('the tests\' dist/ build', () => {
  const cases: [string, (root: string) => void, boolean][] = [
    ['everything as built', () => {}, false],
    ['a source file changed deep in src/', (root) => utimesSync(join(root, 'src/core/deep/x.ts'), 2000, 2000), true],
    ['a source file removed (its directory changed)', (root) => utimesSync(join(root, 'src/core/deep'), 2000, 2000), true],
    ['the build script changed', (root) => utimesSync(join(root, 'scripts/build.mjs'), 2000, 2000), true],
    ['the bundled dependencies changed', (root) => utimesSync(join(root, 'package-lock.json'), 2000, 2000), true],
    ['only a template changed (read at run time, not bundled)', (root) => utimesSync(join(root, 'templates/changelog.hbs'), 2000, 2000), false],
    ['dist/ built after the last change', (root) => utimesSync(join(root, 'dist/main.js'), 3000, 3000), false],
  ];
  for (const [what, change, stale] of cases) {
    it(`${stale ? 'rebuilds' : 'keeps dist/'} when ${what}`, () => {
      const root = project(1000);
      change(root);
      expect(distIsStale(root)).toBe(stale);
    });
  }

  it('builds when there is no dist/ yet', () => {
    expect(distIsStale(project(1000, false))).toBe(true);
  });
});
