import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BUILD, follow, onRemote, pointer, pushElsewhere, state } from '../helpers/hints.js';
import { relmgr, run, useProjects } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);

describe('every failure hint leads somewhere (no loops)', () => {
  it('a build step fixed by a new commit: resume → plan --replace → cut', async () => {
    const r = project(BUILD('test -f fixed.txt'));
    expect((await run(r, ['plan'])).code).toBe(0);
    const failed = await run(r, ['cut']);
    expect(failed.code).toBe(20);
    r.commit('fix: the build', { file: 'fixed.txt' });
    const resumed = await follow(r, failed, 'relmgr resume');
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain('new commits since plan');
    const replanned = await follow(r, resumed, 'relmgr plan --replace');
    expect(replanned.code, replanned.stderr).toBe(0);
    const cut = await follow(r, replanned, 'relmgr cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(await state(r)).toMatchObject({ version: '1.0.1', state: 'cut' });
    expect(r.git('log', '-1', '--format=%P')).toBe(r.git('rev-parse', 'HEAD~1'));
  });

  it('a push refused because the branch moved on the remote: git pull --rebase --tags → plan --replace → cut', async () => {
    const r = project();
    expect((await run(r, ['plan'])).code).toBe(0);
    pushElsewhere(r);
    const failed = await run(r, ['cut']);
    expect(failed.code).toBe(20);
    expect(failed.stderr).toContain('undone: ');
    const pulled = await follow(r, failed, 'git pull --rebase --tags origin main');
    expect(pulled.code, pulled.stderr).toBe(0);
    // The old hint (relmgr resume) fails the same way again: the loop this replaces.
    const replanned = await follow(r, failed, 'relmgr plan --replace');
    expect(replanned.code, replanned.stderr).toBe(0);
    const cut = await follow(r, replanned, 'relmgr cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(onRemote(r, 'refs/tags/v1.0.1')).toBe(true);
    expect(r.git('rev-parse', 'HEAD~1')).toBe(r.git('rev-parse', 'origin/main~1'));
  });

  it('a tag already on the remote: git pull --rebase --tags → plan --replace plans the next version → cut', async () => {
    const r = project();
    r.commit('feat: local work', { file: 'c.txt' });
    expect((await run(r, ['plan'])).code).toBe(0);
    pushElsewhere(r, 'v1.1.0');
    const refused = await run(r, ['cut']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('tag v1.1.0 already exists on origin');
    expect((await follow(r, refused, 'git pull --rebase --tags origin main')).code).toBe(0);
    const replanned = await follow(r, refused, 'relmgr plan --replace');
    expect(replanned.code, `${replanned.stdout}${replanned.stderr}`).toBe(0);
    const cut = await follow(r, replanned, 'relmgr cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(await state(r)).toMatchObject({ version: '1.2.0', state: 'cut' });
  });

  it('HEAD moved since plan: plan --replace → cut', async () => {
    const r = project();
    await run(r, ['plan']);
    r.commit('feat: more', { file: 'b.txt' });
    const refused = await run(r, ['cut']);
    expect(refused.code).toBe(3);
    const replanned = await follow(r, refused, 'relmgr plan --replace');
    expect((await follow(r, replanned, 'relmgr cut')).code).toBe(0);
    expect(await state(r)).toMatchObject({ version: '1.1.0', state: 'cut' });
  });

  it('an interrupted step that is not idempotent: resume → resume --rerun', async () => {
    const r = project(BUILD('if [ ! -f .marker-killed ]; then touch .marker-killed; kill -9 $PPID; fi; echo built'));
    await run(r, ['plan']);
    // Spawned: the step kills its parent process, which must be a relmgr of its own (exit 137).
    expect(relmgr(r, ['cut']).code).toBe(137);
    const again = await run(r, ['cut']);
    expect(again.code).toBe(3);
    const resumed = await follow(r, again, 'relmgr resume');
    expect(resumed.code).toBe(3);
    const rerun = await follow(r, resumed, 'relmgr resume --rerun');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await state(r)).state).toBe('cut');
  });

  it('a failed test step fixed outside the repository: resume', async () => {
    const r = project(`${BUILD('true')}  test:\n    steps: [ { name: smoke, run: "test -f .marker-ok" } ]\n`);
    for (const args of [['plan'], ['cut']]) expect((await run(r, args)).code).toBe(0);
    const failed = await run(r, ['test']);
    expect(failed.code).toBe(20);
    writeFileSync(join(r.dir, '.marker-ok'), '');
    expect((await follow(r, failed, 'relmgr resume')).code).toBe(0);
    expect((await state(r)).state).toBe('tested');
  });

  it('a failed test fixed by a new commit: plan --replace --reason supersedes the published release → cut → test', async () => {
    const r = project(`${BUILD('true')}  test:\n    steps: [ { name: smoke, run: "test -f fixed.txt" } ]\n`);
    for (const args of [['plan'], ['cut']]) expect((await run(r, args)).code).toBe(0);
    const failed = await run(r, ['test']);
    expect(failed.code).toBe(20);
    r.commit('fix: the smoke test', { file: 'fixed.txt' });
    // resume at the new commit would test something that is not the release: it says so.
    const resumed = await follow(r, failed, 'relmgr resume');
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain('not the release commit of 1.0.1');
    const replanned = await follow(r, failed, 'relmgr plan --replace --reason "…"');
    expect(replanned.code, replanned.stderr).toBe(0);
    expect((await follow(r, replanned, 'relmgr cut')).code).toBe(0);
    expect((await follow(r, await run(r, ['status']), 'relmgr test')).code).toBe(0);
    expect(await state(r)).toMatchObject({ version: '1.0.2', state: 'tested' });
    expect((await run(r, ['ledger', 'log'])).stdout).toMatch(/1\.0\.1\s+release\.abandoned\s+replaced by 1\.0\.2: "…"/);
  });

  it('cut on a release whose test failed, after a new commit: the hint is status\'s (resume, or plan --replace --reason), not relmgr test', async () => {
    const r = project(`${BUILD('true')}  test:\n    steps: [ { name: smoke, run: "test -f fixed.txt" } ]\n`);
    for (const args of [['plan'], ['cut']]) expect((await run(r, args)).code).toBe(0);
    expect((await run(r, ['test'])).code).toBe(20);
    r.commit('fix: the smoke test', { file: 'fixed.txt' });
    const cut = await run(r, ['cut']);
    expect(cut.code).toBe(3);
    expect(cut.stderr).toContain('error[E_STATE]: release 1.0.1 is already cut (failed)');
    expect(pointer(cut)).toBe(`next: ${/Next: (.*)/.exec((await run(r, ['status'])).stdout)?.[1]}`);
    expect(pointer(cut)).not.toBe('next: relmgr test');
    const replanned = await follow(r, cut, 'relmgr plan --replace --reason "…"');
    expect(replanned.code, replanned.stderr).toBe(0);
    expect((await follow(r, replanned, 'relmgr cut')).code).toBe(0);
  });

  it('a failed test resumed from another commit: git checkout <tag> → resume', async () => {
    const r = project(`${BUILD('true')}  test:\n    steps: [ { name: smoke, run: "test -f \\"$HOME/.marker-ok\\"" } ]\n`);
    for (const args of [['plan'], ['cut']]) expect((await run(r, args)).code).toBe(0);
    expect((await run(r, ['test'])).code).toBe(20);
    r.git('checkout', '-q', 'HEAD~1');
    writeFileSync(join(r.home, '.marker-ok'), '');
    const wrong = await run(r, ['resume']);
    expect(wrong.code).toBe(3);
    expect((await follow(r, wrong, 'git checkout v1.0.1')).code).toBe(0);
    const resumed = await follow(r, wrong, 'relmgr resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await state(r)).state).toBe('tested');
  });

  it('an untracked file in the way: move it → cut', async () => {
    const r = project();
    await run(r, ['plan']);
    writeFileSync(join(r.dir, 'CHANGELOG.md'), 'my notes\n');
    const refused = await run(r, ['cut']);
    expect(refused.code).toBe(3);
    const moved = await follow(r, refused, 'mv CHANGELOG.md CHANGELOG.md.mine');
    expect(moved.code).toBe(0);
    expect((await follow(r, refused, 'relmgr cut')).code).toBe(0);
    expect(readFileSync(join(r.dir, 'CHANGELOG.md.mine'), 'utf8')).toBe('my notes\n');
  });
});

describe('cut never overwrites an untracked file', () => {
  it.each([
    ['CHANGELOG.md', 'CHANGELOG.md'],
    ['the release notes', '.relmgr/releases/1.0.1/release-notes.md'],
    ['the install instructions', '.relmgr/releases/1.0.1/install.md'],
  ])('refuses up front when %s exists untracked, in --dry-run too', async (_what, path) => {
    const r = project();
    await run(r, ['plan']);
    mkdirSync(join(r.dir, path, '..'), { recursive: true });
    writeFileSync(join(r.dir, path), 'mine\n');
    const head = r.git('rev-parse', 'HEAD');
    for (const args of [['cut', '--dry-run'], ['cut']]) {
      const refused = await run(r, args);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stderr).toContain(`${path} exists but is not tracked by git: cut would overwrite it`);
      expect(refused.stderr).toContain(`hint: mv ${path} ${path}.mine, then relmgr cut (nothing was changed)`);
    }
    expect(readFileSync(join(r.dir, path), 'utf8')).toBe('mine\n');
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.git('tag', '--list', 'v1.0.1')).toBe('');
    expect(existsSync(join(r.dir, '.relmgr/releases/1.0.1/release-notes.md')) || path !== '.relmgr/releases/1.0.1/release-notes.md').toBe(true);
  });
});
