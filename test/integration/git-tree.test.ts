import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitStore } from '../../src/adapters/git-store.js';
import { addToTree, parseListing } from '../../src/adapters/git-tree.js';
import { useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);
const who = { name: 'T', email: 't@example.com' };

// Names whose order in a tree differs from a plain sort: a directory sorts as if its name ended in '/'.
const FILES = ['a', 'a.b', 'a-b', 'a0', 'dir/x', 'dir.txt', 'dir-x/y', 'z/é ✓.json', 'z/nested/deep/f', 'Upper', 'space name'];

function commitFiles(r: ReturnType<typeof repo>, files: readonly string[]): string {
  for (const file of files) {
    mkdirSync(join(r.dir, file, '..'), { recursive: true });
    writeFileSync(join(r.dir, file), `${file}\n`);
  }
  r.git('add', '-A');
  r.git('commit', '-q', '-m', 'files');
  return r.git('rev-parse', 'HEAD');
}

describe('trees built without an index', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`gives every tree the hash git gives it (${format})`, async () => {
      const r = repo({ init: false });
      r.git('init', '-q', `--object-format=${format}`);
      const base = commitFiles(r, FILES.slice(0, 5));
      const store = createGitStore(r.dir, r.env);
      const adds = FILES.slice(5);
      const blobs = await store.writeBlobs(adds.map((f) => `${f}\n`));
      const commit = await store.writeCommit({ base, add: adds.map((path, i) => ({ path, blob: blobs[i] as string })), parents: [base], message: 'm', identity: who });
      // The same files committed through git's own index: the very same tree.
      const reference = commitFiles(r, adds);
      expect(r.git('rev-parse', `${commit}^{tree}`)).toBe(r.git('rev-parse', `${reference}^{tree}`));
      expect(r.git('fsck', '--strict', '--no-dangling')).toBe('');
    });
  }

  it('keeps what it does not add: modes, symlinks, other directories', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync('run.sh', join(r.dir, 'link'));
    const base = commitFiles(r, ['keep/me.txt']);
    const store = createGitStore(r.dir, r.env);
    const [blob] = await store.writeBlobs(['new\n']);
    const commit = await store.writeCommit({ base, add: [{ path: 'keep/new.txt', blob: blob as string }], parents: [base], message: 'm', identity: who });
    const listing = (c: string) => r.git('ls-tree', '-r', c).split('\n').filter((l) => !l.endsWith('keep/new.txt'));
    expect(listing(commit)).toEqual(listing(base));
    expect(r.git('ls-tree', '-r', '--name-only', commit).split('\n')).toContain('keep/new.txt');
  });

  it('replaces a file by a directory and a directory by a file', () => {
    const base = parseListing(['100644 blob aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\tx', '040000 tree bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\ty', '100644 blob cccccccccccccccccccccccccccccccccccccccc\ty/f', ''].join('\0'));
    const { listing, trees } = addToTree(base, [
      { path: 'x/inner', blob: 'd'.repeat(40) },
      { path: 'y', blob: 'e'.repeat(40) },
    ]);
    expect([...listing.keys()].sort()).toEqual(['x', 'x/inner', 'y']);
    expect(listing.get('x')?.type).toBe('tree');
    expect(listing.get('y')?.type).toBe('blob');
    expect(trees.map((t) => t.path)).toEqual(['x', '']);
  });
});

describe('the ledger store', () => {
  it('writes into a repository whose ledger branch it has never listed', async () => {
    const r = repo();
    const base = commitFiles(r, ['releases/1.0.0/a.json']);
    const store = createGitStore(r.dir, r.env);
    const [blob] = await store.writeBlobs(['{}\n']);
    const commit = await store.writeCommit({ base, add: [{ path: 'releases/1.0.0/b.json', blob: blob as string }], parents: [base], message: 'm', identity: who });
    expect(execFileSync('git', ['ls-tree', '-r', '--name-only', commit], { cwd: r.dir, env: r.env, encoding: 'utf8' }).trim().split('\n')).toEqual(['releases/1.0.0/a.json', 'releases/1.0.0/b.json']);
  });
});
