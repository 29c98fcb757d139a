import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, relmgr, run, useRepos, type TestRepo } from '../helpers/repo.js';

const repo = useRepos(afterEach);
const project = (config = ''): TestRepo & { bare: string } => makeProject(repo, config);

const snapshot = (r: TestRepo) => ({
  head: r.git('rev-parse', 'HEAD'),
  tags: r.git('tag', '--list'),
  status: r.git('status', '--porcelain'),
  files: readFileSync(join(r.dir, 'package.json'), 'utf8'),
  changelog: existsSync(join(r.dir, 'CHANGELOG.md')),
});

const BUILD = (run: string, extra = '') => `schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  build:\n    steps:\n      - { name: compile, run: ${JSON.stringify(run)}${extra} }\n`;

describe('plan → cut → test', () => {
  it('releases end to end and shares the state through the remote', async () => {
    const r = project(`${BUILD('echo build $RELMGR_VERSION')}  test:\n    steps: [ { name: unit, run: "test \\"$RELMGR_PHASE\\" = test" } ]\n`);
    const plan = await run(r, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^Planned demo 1\.0\.1 \(patch from 1\.0\.0, normal track\)\n/);
    expect(plan.stdout).toContain('Next: relmgr cut');
    const cut = await run(r, ['cut']);
    expect(cut.code, cut.stderr).toBe(0);
    expect(cut.stdout).toMatch(/^Cut 1\.0\.1: commit [0-9a-f]{7}, tag v1\.0\.1, pushed to origin\n/);
    expect(cut.stderr).toMatch(/compile\s+succeeded/);
    expect(await run(r, ['test'])).toMatchObject({ code: 0, stdout: 'Tested 1.0.1: 1 step passed\nNext: relmgr close --note "…" (no environments are configured), or plan the next release: relmgr plan\n' });
    expect(r.git('log', '-1', '--format=%s')).toBe('chore(release): v1.0.1');
    expect(JSON.parse(readFileSync(join(r.dir, 'package.json'), 'utf8')).version).toBe('1.0.1');
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8')).toContain('## 1.0.1 (2026-11-21)');
    expect(existsSync(join(r.dir, '.relmgr/releases/1.0.1/release-notes.md'))).toBe(true);
    expect(existsSync(join(r.dir, '.relmgr/logs/1.0.1/build/01-compile.log'))).toBe(true);
    expect(r.git('status', '--porcelain')).toBe('');
    const remote = execFileSync('git', ['ls-remote', r.bare], { encoding: 'utf8' });
    expect(remote).toContain('refs/tags/v1.0.1');
    expect(remote).toContain('refs/heads/relmgr/ledger');
    expect(remote).toContain(`${r.git('rev-parse', 'HEAD')}\trefs/heads/main`);

    const clone = { dir: join(r.home, 'clone'), env: r.env };
    execFileSync('git', ['clone', '-q', r.bare, clone.dir], { env: r.env });
    expect((await run(clone, ['ledger', 'sync'])).code).toBe(0);
    const status = JSON.parse((await run(clone, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ version: '1.0.1', state: 'tested', track: 'normal', initiator: { email: 'author@example.com' } }); // GIT_COMMITTER_EMAIL (test env) wins over user.email, as in git
    expect(status.phases.build.state).toBe('succeeded');
    expect(status.phases.test.state).toBe('succeeded');
    expect(status.phases.build.steps).toEqual([expect.objectContaining({ name: 'compile', state: 'succeeded', exitCode: 0 })]);
    expect((await run(r, ['status', '--json'])).stdout).toBe((await run(clone, ['status', '--json'])).stdout);
  });

  it('records nothing with plan --dry-run, refuses a second plan, and --replace abandons the first', async () => {
    const r = project();
    expect((await run(r, ['plan', '--dry-run'])).stdout).toContain('Nothing was recorded (--dry-run)');
    expect(r.git('branch', '--list', 'relmgr/ledger')).toBe('');
    expect((await run(r, ['plan'])).code).toBe(0);
    const again = await run(r, ['plan']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/release 1\.0\.1 is already open \(planned\)\nhint: .*relmgr plan --replace/);
    r.commit('feat: more', { file: 'b.txt' });
    const replaced = await run(r, ['plan', '--replace', '--json']);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ planned: true, version: '1.1.0', replaced: '1.0.1' });
    const log = (await run(r, ['ledger', 'log'])).stdout;
    expect(log).toMatch(/1\.0\.1\s+release\.abandoned\s+replaced by 1\.1\.0/);
    expect((await run(r, ['abort', '--reason', 'not today'])).stdout).toMatch(/^Abandoned 1\.1\.0: not today\./);
    expect(JSON.parse((await run(r, ['status', '--release', '1.1.0', '--json'])).stdout).state).toBe('abandoned');
  });

  it('explains what to run first', async () => {
    const r = project();
    // In-process, so a lock left behind by the refusal would still be held (its pid lives on): plan must get it.
    expect(await run(r, ['cut'])).toMatchObject({ code: 3, stderr: expect.stringMatching(/there is no open release\nhint: open one with: relmgr plan/) });
    await run(r, ['plan']);
    expect(await run(r, ['test'])).toMatchObject({ code: 3, stderr: expect.stringMatching(/is not cut yet.*\nhint: cut it first: relmgr cut/) });
    expect(await run(r, ['resume'])).toMatchObject({ code: 3, stderr: expect.stringMatching(/nothing to resume.*\nhint: next: relmgr cut/) });
  });
});

describe('cut refuses, fails and undoes cleanly', () => {
  it('reports every failed precondition together, exit 3, and changes nothing', async () => {
    const r = project();
    await run(r, ['plan']);
    r.commit('docs: after plan', { file: 'c.txt' });
    writeFileSync(join(r.dir, 'a.txt'), 'dirty\n');
    r.git('checkout', '-q', '-b', 'topic');
    r.tag('v1.0.1');
    const before = snapshot(r);
    const out = await run(r, ['cut']);
    expect(out.code).toBe(3);
    expect(out.stderr).toMatch(/^error\[E_CUT_PRECONDITIONS\]: cannot cut 1\.0\.1:\n/);
    expect(out.stderr).toContain('new commits since plan');
    expect(out.stderr).toContain('uncommitted changes: a.txt');
    expect(out.stderr).toContain('branch topic is not a release branch');
    expect(out.stderr).toContain('tag v1.0.1 already exists here');
    expect(snapshot(r)).toEqual(before);
  });

  it('finds the tag on the remote too', async () => {
    const r = project();
    await run(r, ['plan']);
    r.tag('v1.0.1');
    r.git('push', '-q', 'origin', 'v1.0.1');
    r.git('tag', '-d', 'v1.0.1');
    expect(await run(r, ['cut'])).toMatchObject({ code: 3, stderr: expect.stringContaining('tag v1.0.1 already exists on origin') });
  });

  it('changes nothing with --dry-run and shows the diffs and commands', async () => {
    const r = project(BUILD('echo hi'));
    await run(r, ['plan']);
    const before = snapshot(r);
    const out = await run(r, ['cut', '--dry-run']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('! would run echo hi');
    expect(out.stdout).toContain('--- a/package.json\n+++ b/package.json\n@@ -1,4 +1,4 @@\n {\n   "name": "demo",\n-  "version": "1.0.0"\n+  "version": "1.0.1"\n }');
    expect(out.stdout).toContain('--- /dev/null\n+++ b/CHANGELOG.md');
    expect(out.stdout).toContain('! would run git push --atomic origin HEAD:refs/heads/main refs/tags/v1.0.1');
    expect(snapshot(r)).toEqual(before);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).phases.build.state).toBe('pending');
  });

  it('a failing build step leaves no commit, no tag and no edited file; exit 20; resume finishes', async () => {
    const r = project(BUILD('echo building; test -f .marker-ok'));
    await run(r, ['plan']);
    const before = snapshot(r);
    const out = await run(r, ['cut']);
    expect(out.code).toBe(20);
    expect(out.stderr).toMatch(/error\[E_STEP_FAILED\]: build: step "compile" failed \(exit 1\)\n {2}\| building\n/);
    expect(out.stderr).toContain('hint: fix the cause, then continue with: relmgr resume');
    expect(snapshot(r)).toEqual(before);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ state: 'failed', next: expect.stringContaining('relmgr resume') });
    writeFileSync(join(r.dir, '.marker-ok'), '');
    expect((await run(r, ['resume'])).code).toBe(0);
    expect(r.git('tag', '--points-at', 'HEAD')).toBe('v1.0.1');
  });

  it('undoes its commit and tag when the push is rejected', async () => {
    const r = project();
    await run(r, ['plan']);
    // Someone else pushes to main first.
    const other = join(r.home, 'other');
    execFileSync('git', ['clone', '-q', r.bare, other], { env: r.env });
    execFileSync('git', ['-c', 'user.name=O', '-c', 'user.email=o@example.com', 'commit', '-q', '--allow-empty', '-m', 'chore: elsewhere'], { cwd: other, env: r.env });
    execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: other, env: r.env });
    const before = snapshot(r);
    const out = await run(r, ['cut']);
    expect(out.code).toBe(20);
    expect(out.stderr).toMatch(/cut 1\.0\.1 failed: the push to origin was refused/);
    expect(out.stderr).toContain('undone: tag, commit, files');
    expect(snapshot(r)).toEqual(before);
  });
});

describe('a kill at any point', () => {
  it('during a step: status explains, resume asks, then finishes exactly once', async () => {
    const r = project(BUILD('if [ ! -f .marker-killed ]; then touch .marker-killed; kill -9 $PPID; fi; echo built'));
    await run(r, ['plan']);
    expect(relmgr(r, ['cut']).code).toBe(137); // spawned: the step kills relmgr itself
    const status = await run(r, ['status']);
    expect(status.stdout).toContain('1.0.1 (v1.0.1): planned, build interrupted');
    expect(status.stdout).toContain('build    interrupted (killed before it could record)');
    expect(status.stdout).toContain('compile    did not finish');
    // compile is not idempotent: the Next line names the command that works, not one that asks.
    expect(status.stdout).toContain('Next: relmgr resume --rerun (or, if step "compile" did its work: relmgr resume --assume-done) (the build phase was interrupted)');
    const ask = await run(r, ['resume']);
    expect(ask.code).toBe(3);
    expect(ask.stderr).toContain('relmgr resume --rerun, or record it as done with: relmgr resume --assume-done');
    expect((await run(r, ['resume', '--rerun'])).code).toBe(0);
    expect(r.git('log', '--format=%s', 'v1.0.0..HEAD').split('\n').filter((s) => s.startsWith('chore(release)'))).toHaveLength(1);
    expect(r.git('tag', '--list', 'v1.0.1')).toBe('v1.0.1');
    const steps = JSON.parse((await run(r, ['status', '--json'])).stdout).phases.build.steps;
    expect(steps[0]).toMatchObject({ name: 'compile', state: 'succeeded' });
  });

  it('right after the release commit: resume adopts the commit and tags it', async () => {
    const r = project();
    const hook = join(r.dir, '.git', 'hooks', 'post-commit');
    writeFileSync(hook, '#!/bin/sh\nif [ ! -f .git/killed ]; then touch .git/killed; kill -9 $(cut -d" " -f4 /proc/$PPID/stat); fi\n'); // git's parent: relmgr
    chmodSync(hook, 0o755);
    await run(r, ['plan']);
    expect(relmgr(r, ['cut']).code).toBe(137); // spawned: the step kills relmgr itself
    expect(r.git('log', '-1', '--format=%s')).toBe('chore(release): v1.0.1');
    expect(r.git('tag', '--list', 'v1.0.1')).toBe('');
    expect((await run(r, ['status'])).stdout).toContain('build interrupted');
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(r.git('log', '--format=%s', 'v1.0.0..HEAD').split('\n').filter((s) => s.startsWith('chore(release)'))).toHaveLength(1);
    expect(r.git('rev-parse', 'v1.0.1^{commit}')).toBe(r.git('rev-parse', 'HEAD'));
    expect(execFileSync('git', ['ls-remote', r.bare, 'refs/tags/v1.0.1'], { encoding: 'utf8' })).toContain('v1.0.1');
  });

  it('during the test phase: resume continues from the step that did not finish', async () => {
    const r = project(`${BUILD('true')}  test:\n    steps:\n      - { name: one, run: "echo one >> .marker-log" }\n      - { name: two, run: "if [ ! -f .marker-k ]; then touch .marker-k; kill -9 $PPID; fi", idempotent: true }\n`);
    await run(r, ['plan']);
    await run(r, ['cut']);
    expect(relmgr(r, ['test']).code).toBe(137); // spawned: the step kills relmgr itself
    const status = (await run(r, ['status'])).stdout;
    expect(status).toContain('test interrupted');
    expect(status).toContain('Next: relmgr resume (the test phase was interrupted)');
    expect((await run(r, ['test'])).code).toBe(3);
    expect((await run(r, ['resume'])).code).toBe(0);
    expect(readFileSync(join(r.dir, '.marker-log'), 'utf8')).toBe('one\n');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).state).toBe('tested');
  });
});

describe('relmgr notes', () => {
  it('renders the notes and install instructions of the open release', async () => {
    const r = project('schema: relmgr/v1\ninstall:\n  commands: ["npm install demo@{version}"]\n');
    await run(r, ['plan']);
    const out = await run(r, ['notes']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^# demo 1\.0\.1\n\nReleased 2026-11-21 · patch release after 1\.0\.0\n/);
    expect(out.stdout).toContain('## Bug Fixes\n\n- a bug (');
    expect(out.stdout).toContain('npm install demo@1.0.1');
  });
});
