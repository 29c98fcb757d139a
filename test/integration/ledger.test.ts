import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitStore } from '../../src/adapters/git-store.js';
import { eventPath, type LedgerEvent } from '../../src/core/lifecycle/events.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { type TestRepo, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);

let n = 0;
function event(release: string, type: LedgerEvent['type'] = 'release.planned', data: Record<string, unknown> = {}): LedgerEvent {
  n += 1;
  return { v: 1, id: `id${n}`, type, release, at: new Date(Date.UTC(2026, 10, 21, 0, 0, 0, n)).toISOString(), actor: { name: 'T', email: 't@example.com' }, data };
}
const who = { name: 'T', email: 't@example.com' };
const ledgerFor = (r: Pick<TestRepo, 'dir' | 'env'>, remote: string | null = null) => new Ledger(createGitStore(r.dir, r.env), { branch: 'relmgr/ledger', remote }, who);

describe('the ledger', () => {
  it('appends and reads events without touching the working tree, the index or HEAD', async () => {
    const r = repo();
    r.commit('feat: a');
    writeFileSync(join(r.dir, 'file.txt'), 'uncommitted change\n');
    writeFileSync(join(r.dir, 'new.txt'), 'untracked\n');
    r.git('add', 'new.txt');
    const before = [r.git('status', '--porcelain'), r.git('rev-parse', 'HEAD'), r.git('symbolic-ref', 'HEAD'), r.git('diff', '--cached')];
    const ledger = ledgerFor(r);
    await ledger.append([event('1.0.0')]);
    await ledger.append([event('1.0.0', 'phase.started', { x: 'é ✓ 🚀' }), event('1.0.0', 'phase.succeeded')]);
    const events = await ledger.read();
    expect(events.map((e) => e.type)).toEqual(['release.planned', 'phase.started', 'phase.succeeded']);
    expect(events[1]?.data.x).toBe('é ✓ 🚀');
    expect([r.git('status', '--porcelain'), r.git('rev-parse', 'HEAD'), r.git('symbolic-ref', 'HEAD'), r.git('diff', '--cached')]).toEqual(before);
    expect(r.git('ls-tree', '-r', '--name-only', 'relmgr/ledger').split('\n')).toHaveLength(3);
    expect(r.git('log', '--format=%P', '-1', 'relmgr/ledger').split(' ')).toHaveLength(1);
  });

  it('reads only the events a pick chooses by file name, and still reports files that are not events, and events from a newer relmgr', async () => {
    const r = repo();
    r.commit('feat: a');
    const ledger = ledgerFor(r);
    await ledger.append([event('1.0.0'), event('1.0.0', 'step.started'), event('1.0.0', 'step.succeeded'), event('1.0.0', 'deploy.succeeded', { env: 'production' })]);
    const newer = { ...event('1.0.0', 'step.started'), v: 2 };
    const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: r.dir, env: r.env, input: `${JSON.stringify(newer)}\n`, encoding: 'utf8' }).trim();
    const junk = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: r.dir, env: r.env, input: 'not json', encoding: 'utf8' }).trim();
    const tree = execFileSync('git', ['ls-tree', '-r', 'relmgr/ledger'], { cwd: r.dir, env: r.env, encoding: 'utf8' });
    const index = join(r.home, 'index');
    const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: r.dir, env: { ...r.env, GIT_INDEX_FILE: index }, input, encoding: 'utf8' }).trim();
    git(['update-index', '--index-info'], `${tree}100644 blob ${blob}\t${eventPath(newer)}\n100644 blob ${junk}\tnotes.json\n`);
    git(['update-ref', 'refs/heads/relmgr/ledger', git(['commit-tree', git(['write-tree']), '-p', 'relmgr/ledger', '-m', 'more'])]);
    const picked = await ledger.read(undefined, (name) => !name.type.startsWith('step.'));
    expect(picked.map((e) => e.type)).toEqual(['release.planned', 'deploy.succeeded']);
    // the newer step event is not picked (its name says step.started); the foreign file is reported all the same
    expect(ledger.unreadable).toEqual([{ path: 'notes.json', kind: 'foreign' }]);
    await ledger.read(undefined, () => true);
    expect(ledger.unreadable.map((u) => u.kind).sort()).toEqual(['foreign', 'newer']);
  });

  it('records an event with four git processes, and reads back what it wrote with one', async () => {
    const r = repo();
    r.commit('feat: a');
    const trace = join(r.home, 'trace.log');
    const ledger = ledgerFor({ dir: r.dir, env: { ...r.env, GIT_TRACE: trace } });
    // Counted from git's own trace: one "built-in" line per git process.
    const spawned = (): string[] => readFileSync(trace, 'utf8').split('\n').flatMap((l) => /trace: built-in: git (\S+)/.exec(l)?.[1] ?? []);
    await ledger.read();
    await ledger.append([event('1.0.0')]);
    writeFileSync(trace, '');
    for (let i = 0; i < 5; i++) await ledger.append([event('1.0.0', 'step.started')]);
    // A blob, the trees, the commit, the compare-and-swap: nothing is read back.
    expect(spawned()).toEqual(Array.from({ length: 5 }, () => ['hash-object', 'mktree', 'commit-tree', 'update-ref']).flat());
    writeFileSync(trace, '');
    expect(await ledger.read()).toHaveLength(6);
    expect(spawned()).toEqual(['rev-parse']);
    expect(r.git('rev-list', '--count', 'relmgr/ledger')).toBe('6');
  });

  it('re-reads and retries when another writer moved the branch since this one last saw it', async () => {
    const r = repo();
    r.commit('feat: a');
    const mine = ledgerFor(r);
    const theirs = ledgerFor(r);
    await mine.append([event('1.0.0')]);
    await theirs.append([event('1.0.0', 'phase.started')]);
    await mine.append([event('1.0.0', 'phase.succeeded')]);
    expect((await ledgerFor(r).read()).map((e) => e.type)).toEqual(['release.planned', 'phase.started', 'phase.succeeded']);
    // One line of history, each event on top of the one before.
    expect([r.git('rev-list', '--count', 'relmgr/ledger'), r.git('rev-list', '--count', '--merges', 'relmgr/ledger')]).toEqual(['3', '0']);
  });

  it('keeps every event when writers race in one process', async () => {
    const r = repo();
    r.commit('feat: a');
    const writers = [ledgerFor(r), ledgerFor(r), ledgerFor(r)];
    await Promise.all(writers.map((w, i) => Promise.all(Array.from({ length: 5 }, (_, j) => w.append([event(`1.${i}.${j}`)])))));
    expect(await ledgerFor(r).read()).toHaveLength(15);
  });

  describe('across processes', () => {
    let script = '';
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'relmgr-writer-'));
      script = join(dir, 'writer.mjs');
      writeFileSync(join(dir, 'writer.ts'), `
        import { createGitStore } from ${JSON.stringify(resolve('src/adapters/git-store.ts'))};
        import { Ledger } from ${JSON.stringify(resolve('src/ledger/ledger.ts'))};
        const [dir, name, count] = process.argv.slice(2);
        const ledger = new Ledger(createGitStore(dir, process.env), { branch: 'relmgr/ledger', remote: null }, { name, email: name + '@example.com' });
        for (let i = 0; i < Number(count); i++) {
          await ledger.append([{ v: 1, id: name + i, type: 'release.planned', release: name + '.' + i, at: new Date().toISOString(), actor: { name, email: '' }, data: {} }]);
        }
      `);
      await build({ entryPoints: [join(dir, 'writer.ts')], outfile: script, bundle: true, format: 'esm', platform: 'node', logLevel: 'error' });
    });

    it('keeps both writers\' events when two processes append at once', async () => {
      const r = repo();
      r.commit('feat: a');
      const run = (name: string) =>
        new Promise<number>((done) => spawn(process.execPath, [script, r.dir, name, '12'], { env: r.env, stdio: 'inherit' }).on('close', (code) => done(code ?? 1)));
      expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
      const events = await ledgerFor(r).read();
      expect(events.filter((e) => e.id.startsWith('a'))).toHaveLength(12);
      expect(events.filter((e) => e.id.startsWith('b'))).toHaveLength(12);
    });
  });

  /** A clone with a bare remote, and a second clone of it. */
  const twoClones = () => {
    const a = repo();
    a.commit('feat: a');
    const bare = join(a.home, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', bare], { env: a.env });
    a.git('remote', 'add', 'origin', bare);
    const b = { dir: join(a.home, 'b'), env: a.env };
    execFileSync('git', ['clone', '-q', bare, b.dir], { env: a.env });
    const remoteTip = () => execFileSync('git', ['rev-parse', '--verify', '--quiet', 'refs/heads/relmgr/ledger'], { cwd: bare, env: a.env, encoding: 'utf8' }).trim();
    return { a, b, bare, remoteTip };
  };

  it('shares events through a remote: push, fetch, fast-forward and union merge', async () => {
    const { a, b } = twoClones();
    const la = ledgerFor(a, 'origin');
    const lb = ledgerFor(b, 'origin');
    await la.append([event('1.0.0')]);
    expect(await la.push()).toBe(true);
    expect(await lb.pull()).toEqual({ fetched: true, merged: 'fast-forward' });
    expect(await lb.read()).toHaveLength(1);
    // Both write without seeing each other; b's push is rejected, merged as a union, and retried.
    await la.append([event('1.0.0', 'phase.started')]);
    await la.push();
    await lb.append([event('1.0.0', 'step.started')]);
    expect(await lb.push()).toBe(true);
    expect((await lb.read()).map((e) => e.type).sort()).toEqual(['phase.started', 'release.planned', 'step.started']);
    expect(await la.sync()).toMatchObject({ fetched: true, merged: 'fast-forward' });
    expect(await la.read()).toHaveLength(3);
    // Nothing new on either side: nothing is pushed, and the report says so.
    expect(await la.sync()).toEqual({ fetched: true, merged: 'none', pushed: false });
    await la.append([event('1.0.0', 'step.succeeded')]);
    expect(await la.sync()).toEqual({ fetched: true, merged: 'none', pushed: true });
  });

  it('fetches again when another relmgr in the same clone held the ref it fetches into at that moment', async () => {
    const { a, b } = twoClones();
    const la = ledgerFor(a, 'origin');
    await la.append([event('1.0.0')]);
    await la.push();
    // Another process's fetch holds the remote-tracking ref's lock; it lets go a moment later.
    const lock = execFileSync('git', ['rev-parse', '--git-path', 'refs/relmgr/remote/relmgr/ledger.lock'], { cwd: b.dir, env: b.env, encoding: 'utf8' }).trim();
    const held = resolve(b.dir, lock);
    execFileSync('mkdir', ['-p', resolve(held, '..')]);
    writeFileSync(held, '');
    setTimeout(() => rmSync(held, { force: true }), 400);
    expect(await ledgerFor(b, 'origin').pull()).toEqual({ fetched: true, merged: 'fast-forward' });
  });

  describe('a decision shared by compare-and-swap (publish)', () => {

    it('lets the first of two machines through; the second records nothing, pulls, and sees the first', async () => {
      const { a, b, remoteTip } = twoClones();
      const la = ledgerFor(a, 'origin');
      const lb = ledgerFor(b, 'origin');
      expect(await la.publish([event('2.0.0')])).toBe('shared');
      expect(await ledgerFor(a).read()).toHaveLength(1);
      const shared = remoteTip();
      // b decided on a ledger read before a's push: the remote refuses it, and b's event goes nowhere.
      expect(await lb.publish([event('1.1.0')])).toBe('raced');
      expect(remoteTip()).toBe(shared);
      expect(await lb.read()).toEqual([]);
      expect(await lb.pull()).toMatchObject({ merged: 'fast-forward' });
      expect((await lb.read()).map((e) => e.release)).toEqual(['2.0.0']);
      // Decided again on what it now reads, b's next event goes on top.
      expect(await lb.publish([event('2.0.0', 'phase.started')])).toBe('shared');
      expect(await la.sync()).toMatchObject({ merged: 'fast-forward' });
      expect((await la.read()).map((e) => e.type)).toEqual(['release.planned', 'phase.started']);
    });

    it('keeps the events here and throws when the remote refuses the push for good', async () => {
      const { a, bare } = twoClones();
      writeFileSync(join(bare, 'hooks', 'pre-receive'), '#!/bin/sh\necho "no pushes today" >&2\nexit 1\n', { mode: 0o755 });
      const la = ledgerFor(a, 'origin');
      await expect(la.publish([event('2.0.0')])).rejects.toMatchObject({ code: 'E_LEDGER_PUSH' });
      expect((await la.read()).map((e) => e.release)).toEqual(['2.0.0']);
    });

    it('takes a push refused because a concurrent push held the remote ref (cannot lock ref) for a race', async () => {
      const { a, bare } = twoClones();
      const la = ledgerFor(a, 'origin');
      await la.append([event('1.0.0')]);
      expect(await la.push()).toBe(true);
      await la.append([event('1.0.0', 'phase.started')]);
      // Another push is updating the ref right now: git holds its lock file.
      writeFileSync(join(bare, 'refs', 'heads', 'relmgr', 'ledger.lock'), '');
      const store = createGitStore(a.dir, a.env);
      expect(await store.push('origin', 'refs/heads/relmgr/ledger', 'relmgr/ledger', 10_000)).toBe('rejected');
      expect(await la.publish([event('1.0.0', 'phase.succeeded')])).toBe('raced');
      // The lock is gone (the other push finished): the retry gets through.
      rmSync(join(bare, 'refs', 'heads', 'relmgr', 'ledger.lock'));
      expect(await la.push()).toBe(true);
    });
  });

  it('reads 10,000 events with a constant number of git processes', async () => {
    const r = repo();
    r.commit('feat: a');
    const events = Array.from({ length: 10_000 }, (_, i) => event(`9.${Math.floor(i / 100)}.0`, 'step.succeeded', { index: i }));
    // Built in one fast-import stream (one pack, as a fetch leaves it): writing 10,000 loose objects
    // would be most of this test's time; the bench measures a loose ledger.
    const files = events.map((e) => `M 100644 inline ${eventPath(e)}\ndata ${Buffer.byteLength(JSON.stringify(e))}\n${JSON.stringify(e)}\n`);
    execFileSync('git', ['fast-import', '--quiet'], { cwd: r.dir, env: r.env, input: `commit refs/heads/relmgr/ledger\ncommitter T <t@example.com> 1795219200 +0000\ndata 0\n${files.join('')}\n` });
    const trace = join(r.home, 'trace.log');
    const ledger = ledgerFor({ dir: r.dir, env: { ...r.env, GIT_TRACE: trace } });
    const spawned = (): string[] => readFileSync(trace, 'utf8').split('\n').flatMap((l) => /trace: built-in: git (\S+)/.exec(l)?.[1] ?? []);
    const started = performance.now();
    const read = await ledger.read();
    // Not a timing assertion (speed lives in `npm run bench`): a sanity print for people reading the log.
    console.log(`read 10,000 events in ${Math.round(performance.now() - started)} ms`);
    expect(read).toHaveLength(10_000);
    expect(read.map((e) => e.data.index)).toEqual(events.map((_, i) => i));
    expect(spawned()).toEqual(['rev-parse', 'ls-tree', 'cat-file']);
    // And one more event on top of the 10,000 it has read: still four processes.
    writeFileSync(trace, '');
    await ledger.append([event('9.0.0', 'phase.succeeded')]);
    expect(spawned()).toEqual(['hash-object', 'mktree', 'commit-tree', 'update-ref']);
    expect(r.git('ls-tree', '-r', '--name-only', 'relmgr/ledger').split('\n')).toHaveLength(10_001);
  });
});
