import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { relmgrAsync, until } from '../helpers/hanging.js';
import { run, useProjects } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);
/** A build step that holds the cut open until the test lets it go. */
const HOLD = 'touch .marker-started; while [ ! -f .marker-go ]; do sleep 0.05; done';

describe('lifecycle edges', () => {
  it('lets one cut run at a time in a clone', async () => {
    const r = project(`schema: relmgr/v1\nphases:\n  build:\n    steps: [ { run: ${JSON.stringify(HOLD)} } ]\n`);
    await run(r, ['plan']);
    // A real relmgr process holds the lock (its step waits for a marker); one in this process races it.
    let pid = 0;
    const holder = relmgrAsync(r, ['cut'], {}, (child) => (pid = child.pid ?? 0));
    await until(() => existsSync(join(r.dir, '.marker-started')));
    const loser = await run(r, ['cut']);
    writeFileSync(join(r.dir, '.marker-go'), '');
    const [a, b] = [await holder, loser];
    expect([a.code, b.code].sort()).toEqual([0, 3]);
    // The loser either finds the lock taken or, if it started after the winner finished, the release cut.
    expect([a.stderr, b.stderr].join('\n')).toMatch(/another relmgr \(pid \d+\) is running relmgr cut\n|is already cut/);
    expect(b.stderr).toContain(`another relmgr (pid ${pid}) is running relmgr cut`);
    expect(r.git('log', '--format=%s', 'v1.0.0..HEAD').split('\n').filter((s) => s.startsWith('chore(release)'))).toHaveLength(1);
    expect(r.git('status', '--porcelain')).toBe('');
  });

  it('a ledger push that fails after the release was pushed is a warning, not an undo', async () => {
    const r = project();
    const hook = join(r.bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/heads/relmgr/ledger) git rev-parse -q --verify refs/tags/v1.0.1 >/dev/null && exit 1;; esac; done; exit 0\n');
    chmodSync(hook, 0o755);
    await run(r, ['plan']);
    const out = await run(r, ['cut']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('the ledger was recorded here but not pushed');
    expect(r.git('tag', '--points-at', 'HEAD')).toBe('v1.0.1');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).state).toBe('cut');
  });

  it('resume never overwrites someone\'s edits to a release file', async () => {
    const r = project('schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: gate, run: "test -f .marker-ok" } ]\n');
    await run(r, ['plan']);
    expect((await run(r, ['cut'])).code).toBe(20);
    writeFileSync(join(r.dir, 'package.json'), '{\n  "name": "demo",\n  "version": "1.0.0",\n  "private": true\n}\n');
    writeFileSync(join(r.dir, '.marker-ok'), '');
    const out = await run(r, ['resume']);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('uncommitted changes: package.json');
    expect(readFileSync(join(r.dir, 'package.json'), 'utf8')).toContain('"private": true');
  });

  it('pushes the release even when the ledger stays local (push: never), and commits into an ignored .relmgr/', async () => {
    const r = project('schema: relmgr/v1\naudit: { ledger: { push: never } }\n');
    writeFileSync(join(r.dir, '.gitignore'), '.relmgr/\n');
    r.commit('chore: ignore relmgr', { file: '.gitignore', content: '.relmgr/\n' });
    await run(r, ['plan']);
    const out = await run(r, ['cut']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('pushed to origin');
    const remote = execFileSync('git', ['ls-remote', r.bare], { encoding: 'utf8' });
    expect(remote).toContain('refs/tags/v1.0.1');
    expect(remote).not.toContain('relmgr/ledger');
    expect(r.git('ls-files', '.relmgr')).toContain('.relmgr/releases/1.0.1/release-notes.md');
  });

  it('ends a step when its shell exits, even with a process left in the background', async () => {
    const r = project('schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: server, run: "sleep 30 & echo $! > .marker-pid; echo started", timeout: 20s } ]\n');
    await run(r, ['plan']);
    const started = Date.now();
    const out = await run(r, ['cut', '--no-push']);
    expect(out.code, out.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    process.kill(Number(readFileSync(join(r.dir, '.marker-pid'), 'utf8')));
  });

  it('cuts a detached checkout on the branch the CI job names, and dry-runs the same checks', async () => {
    const r = project();
    await run(r, ['plan']);
    r.git('checkout', '-q', '--detach');
    const refused = await run(r, ['cut', '--dry-run']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('HEAD is detached');
    const ci = { GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' };
    expect((await run(r, ['cut', '--dry-run'], { env: ci })).stdout).toContain('! would run git push --atomic origin HEAD:refs/heads/main refs/tags/v1.0.1');
    expect((await run(r, ['cut'], { env: ci })).code).toBe(0);
    expect(execFileSync('git', ['ls-remote', r.bare, 'refs/heads/main'], { encoding: 'utf8' })).toContain(r.git('rev-parse', 'HEAD'));
  });

  it('tests only the released commit, and a tested release does not block the next plan', async () => {
    const r = project();
    await run(r, ['plan']);
    await run(r, ['cut']);
    r.git('checkout', '-q', 'v1.0.0');
    expect(await run(r, ['test'])).toMatchObject({ code: 3, stderr: expect.stringContaining('hint: test what was released: git checkout v1.0.1') });
    r.git('checkout', '-q', 'main');
    expect((await run(r, ['test'])).code).toBe(0);
    r.commit('feat: next thing', { file: 'b.txt' });
    const plan = await run(r, ['plan', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ version: '1.1.0', replaced: null });
    expect(JSON.parse((await run(r, ['status', '--release', '1.0.1', '--json'])).stdout).state).toBe('tested');
  });

  it('resumes a cut started with --no-push without pushing, unless --push', async () => {
    const r = project('schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: gate, run: "test -f .marker-ok" } ]\n');
    await run(r, ['plan']);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(20);
    writeFileSync(join(r.dir, '.marker-ok'), '');
    const out = await run(r, ['resume']);
    expect(out.code, out.stderr).toBe(0);
    // It says it was not pushed (as cut --no-push does), never that it was.
    expect(out.stdout).not.toMatch(/, pushed/);
    expect(out.stdout).toMatch(/^Cut 1\.0\.1: commit [0-9a-f]{7}, tag v1\.0\.1 \(not pushed\)\nNext: relmgr test, and relmgr push/);
    expect(execFileSync('git', ['ls-remote', r.bare, 'refs/tags/v1.0.1'], { encoding: 'utf8' })).toBe('');
  });

  it('keeps secrets out of the dry run', async () => {
    const r = project('schema: relmgr/v1\nphases:\n  build:\n    steps: [ { run: "curl https://deploy:hunter2pass@example.com/x -H \\"$NPM_TOKEN\\"" } ]\n');
    await run(r, ['plan']);
    const out = await run(r, ['cut', '--dry-run'], { env: { NPM_TOKEN: 'npm_abcdef123456' } });
    expect(out.stdout).not.toContain('hunter2pass');
    expect(out.stdout).toContain('https://***@example.com/x');
  });
});
