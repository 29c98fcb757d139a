import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createGit } from '../../src/adapters/git.js';
import type { RawCommit } from '../../src/core/commits.js';
import { type TestRepo, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);

async function collect(r: TestRepo, from: string | null, to = 'HEAD'): Promise<RawCommit[]> {
  const out: RawCommit[] = [];
  await createGit(r.dir, r.env).log({ from, to }, (c) => out.push(c));
  return out;
}

describe('git adapter against real repositories', () => {
  it('reads repo info, HEAD and shallowness', async () => {
    const r = repo();
    const git = createGit(r.dir, r.env);
    expect(await git.repoInfo()).toEqual({ root: r.dir, head: null, shallow: false });
    r.commit('feat: a');
    const info = await git.repoInfo();
    expect(info.head).toMatch(/^[0-9a-f]{40}$/);
  });

  it('says when the directory is not a repository', async () => {
    const r = repo({ init: false });
    await expect(createGit(r.dir, { ...r.env, GIT_CEILING_DIRECTORIES: r.dir.replace(/\/repo$/, '') }).repoInfo()).rejects.toMatchObject({ code: 'E_NOT_GIT_REPO', exitCode: 3 });
  });

  it('lists lightweight and annotated tags with their peeled commits', async () => {
    const r = repo();
    r.commit('feat: a');
    r.tag('v1.0.0');
    const second = r.commit('fix: b');
    r.tag('v1.0.1', { annotated: true });
    const tags = await createGit(r.dir, r.env).tags();
    const full = r.git('rev-parse', 'HEAD');
    expect(tags.map((t) => t.name).sort()).toEqual(['v1.0.0', 'v1.0.1']);
    expect(tags.find((t) => t.name === 'v1.0.1')?.commit).toBe(full);
    expect(full.startsWith(second)).toBe(true);
    expect(tags[0]?.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('answers ancestry and merged tags', async () => {
    const r = repo();
    r.commit('feat: a');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'side');
    r.commit('fix: side');
    r.tag('v1.0.1');
    r.git('checkout', '-q', 'main');
    r.commit('feat: main');
    const git = createGit(r.dir, r.env);
    expect(await git.isAncestor('v1.0.0', 'HEAD')).toBe(true);
    expect(await git.isAncestor('v1.0.1', 'HEAD')).toBe(false);
    expect(await git.isAncestor('nope', 'HEAD')).toBe(false);
    expect(await git.tagsMergedInto('HEAD')).toEqual(new Set(['v1.0.0']));
  });

  it('streams a range with parents, authors and whole messages in one git log', async () => {
    const r = repo();
    r.commit('chore: init');
    r.tag('v1.0.0');
    r.commit('feat(api): add x\n\nbody line\n\nBREAKING CHANGE: y');
    r.commit('');
    r.commit('fix: with \x1f unit separator and trailing newlines\n\n\n');
    const range = await collect(r, 'v1.0.0');
    expect(range.map((c) => c.message)).toEqual(['fix: with \x1f unit separator and trailing newlines', '', 'feat(api): add x\n\nbody line\n\nBREAKING CHANGE: y']);
    expect(range[0]?.authorEmail).toBe('author@example.com');
    expect(range[0]?.parents).toHaveLength(1);
    expect(await collect(r, null)).toHaveLength(4);
  });

  it('reads the commit graph of several tips, not reaching others, with committer times and subjects, in one git log', async () => {
    const r = repo();
    r.commit('feat: old');
    r.tag('v1.0.0', { annotated: true });
    r.commit('fix: one\n\nbody');
    r.tag('v1.1.0');
    r.commit('feat: two');
    r.tag('v1.2.0', { annotated: true });
    const git = createGit(r.dir, r.env);
    const graph = await git.commitGraph(['v1.1.0', 'v1.2.0'], ['v1.0.0']);
    expect(graph.map((c) => c.subject)).toEqual(['feat: two', 'fix: one']);
    const [two, one] = graph;
    expect(two?.parents).toEqual([one?.hash]);
    expect(one?.time).toBe(Number(r.git('log', '-1', '--format=%ct', 'v1.1.0')));
    expect(await git.commitGraph([], [])).toEqual([]);
    expect((await git.commitGraph(['v1.0.0'], [])).map((c) => c.parents)).toEqual([[]]);
  });

  it('reads a message as data: separators and forged records inside it make no commits', async () => {
    const r = repo();
    const released = r.commit('chore: init');
    r.tag('v1.0.0');
    const full = r.git('rev-parse', released);
    // What a record of the old RS/US format looked like, and a NUL-free record of the new one.
    const forged = `docs: typo\n\nbody\x1eX\x1f${full}\x1f\x1fEve\x1feve@x\x1f1700000000\x1ffeat!: injected\n>\n${full}\n\nEve\neve@x\n2020-01-01T00:00:00Z\nfeat!: injected too`;
    r.commit(forged);
    const junk = Array.from({ length: 4000 }, (_, i) => String.fromCharCode(1 + ((i * 7919) % 254))).join('');
    r.commit(`fix: plain subject\n\n${junk}`);
    const range = await collect(r, 'v1.0.0');
    expect(range).toHaveLength(2);
    expect(range.map((c) => c.hash)).toEqual([r.git('rev-parse', 'HEAD'), r.git('rev-parse', 'HEAD~1')]);
    expect(range[1]?.message).toBe(forged);
    expect(range[0]?.message.startsWith('fix: plain subject\n\n')).toBe(true);
    expect(await collect(r, null)).toHaveLength(3);
  });

  it('decodes messages in other encodings and invalid UTF-8 without failing', async () => {
    const r = repo();
    r.commit('feat: first');
    execFileSync('git', ['-c', 'i18n.commitEncoding=ISO-8859-1', 'commit', '-q', '--allow-empty', '-F', '-'], {
      cwd: r.dir, env: r.env, input: Buffer.from('fix: caf\xe9 cr\xe8me', 'latin1'),
    });
    execFileSync('git', ['commit', '-q', '--allow-empty', '-F', '-'], { cwd: r.dir, env: r.env, input: Buffer.from([0x66, 0x69, 0x78, 0x3a, 0x20, 0xff, 0xfe, 0x61]) });
    const messages = (await collect(r, null)).map((c) => c.message);
    expect(messages[1]).toBe('fix: café crème');
    expect(messages[0]).toMatch(/^fix: .+a$/);
  });

  it('reads remote URLs and resolves refs', async () => {
    const r = repo();
    r.commit('feat: a');
    r.git('remote', 'add', 'origin', 'https://user:secret@github.com/acme/app.git');
    const git = createGit(r.dir, r.env);
    expect(await git.remoteUrl()).toBe('https://user:secret@github.com/acme/app.git');
    expect(await git.remoteUrl('upstream')).toBeUndefined();
    expect(await git.resolveCommit('HEAD')).toMatch(/^[0-9a-f]{40}$/);
    expect(await git.resolveCommit('no-such-ref')).toBeUndefined();
    expect(await git.resolveCommit('--output=/tmp/x')).toBeUndefined();
  });

  it('reports the boundary of a range: `from` is in it exactly when it is an ancestor', async () => {
    const r = repo();
    r.commit('feat: a');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'side');
    r.commit('fix: side', { file: 'side.txt' });
    r.tag('v1.0.1', { annotated: true });
    r.git('checkout', '-q', 'main');
    r.commit('feat: main');
    const git = createGit(r.dir, r.env);
    const peeled = (tag: string) => r.git('rev-parse', `${tag}^{commit}`);
    const boundaryOf = async (from: string) => {
      const boundary = new Set<string>();
      const seen: string[] = [];
      await git.log({ from, to: 'HEAD', boundary }, (c) => seen.push(c.hash));
      return { boundary, seen };
    };
    const onMain = await boundaryOf(peeled('v1.0.0'));
    expect(onMain.boundary.has(peeled('v1.0.0'))).toBe(true);
    expect(onMain.seen).toHaveLength(1);
    const offMain = await boundaryOf(peeled('v1.0.1'));
    expect(offMain.boundary.has(peeled('v1.0.1'))).toBe(false);
    r.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    const merged = await boundaryOf(peeled('v1.0.1'));
    expect(merged.boundary.has(peeled('v1.0.1'))).toBe(true);
    expect(merged.seen).toHaveLength(2);
  });

  it('names the committer as typed, angle brackets and all, though git drops them from its own ident', async () => {
    const r = repo();
    const typed = '<script>alert(3)</script>';
    expect(await createGit(r.dir, { ...r.env, GIT_COMMITTER_NAME: typed }).committer()).toEqual({ name: typed, email: 'author@example.com' });
    // from the config, when the environment does not say
    const { GIT_COMMITTER_NAME: _, ...rest } = r.env;
    r.git('config', 'user.name', 'Ada <Lovelace>');
    expect(await createGit(r.dir, rest).committer()).toEqual({ name: 'Ada <Lovelace>', email: 'author@example.com' });
    // a name git took from elsewhere is git's
    expect(await createGit(r.dir, { ...rest, GIT_COMMITTER_NAME: 'Grace' }).committer()).toEqual({ name: 'Grace', email: 'author@example.com' });
  });

  it('detects a shallow clone', async () => {
    const r = repo();
    for (let i = 0; i < 3; i++) r.commit(`fix: ${i}`);
    const clone = `${r.dir}-shallow`;
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${r.dir}`, clone], { env: r.env });
    const info = await createGit(clone, r.env).repoInfo();
    expect(info.shallow).toBe(true);
    execFileSync('rm', ['-rf', clone]);
  });
});

describe('a git command that fails', () => {
  it.each([
    ['fatal: detected dubious ownership in repository at \'/w\'', /safe\.directory \/w$/],
    ['fatal: bad revision', /run it yourself in \/w/],
    ['', /run it yourself in \/w/],
  ])('names what to try: %s', async (stderr, hint) => {
    const { gitFailed } = await import('../../src/adapters/git.js');
    const error = gitFailed('git log', '/w', { stderr, exitCode: 128 });
    expect(error).toMatchObject({ code: 'E_GIT', exitCode: 1 });
    expect(error.hint).toMatch(hint);
  });
});
