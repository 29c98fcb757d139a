import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { capture } from '../helpers/context.js';
import { BUILD, otherClone, state } from '../helpers/hints.js';
import { run, useProjects } from '../helpers/repo.js';

/* Two machines on one release, and what a new user's trial found around them. */
const project = useProjects(afterEach, afterAll);

/** A file appears (a step writes it): awaited by watching, not by sleeping a fixed time. */
async function appears(path: string): Promise<void> {
  for (let i = 0; i < 2_000 && !existsSync(path); i++) await new Promise((resolve) => setImmediate(resolve));
  const { watch } = await import('node:fs');
  if (existsSync(path)) return;
  await new Promise<void>((resolve) => {
    const watcher = watch(join(path, '..'), () => {
      if (existsSync(path)) {
        watcher.close();
        resolve();
      }
    });
  });
}

describe('one release, two machines', () => {
  it('two cuts at once: the build steps run once, the other cut refuses before running anything, and the release is cut', async () => {
    const r = project(BUILD('echo "$PWD" >> "$HOME/ran.txt"'));
    await run(r, ['plan']);
    const ci = otherClone(r);
    const [a, b] = await Promise.all([run(r, ['cut']), run(ci, ['cut'])]);
    const codes = [a.code, b.code].sort();
    expect(codes, `${a.stderr}\n${b.stderr}`).toEqual([0, 3]);
    const loser = a.code === 3 ? a : b;
    expect(loser.stderr).toMatch(/E_PHASE_RUNNING|E_STATE/);
    expect(loser.stderr).not.toContain('relmgr plan --replace');
    expect(readFileSync(join(r.home, 'ran.txt'), 'utf8').trim().split('\n')).toHaveLength(1);
    for (const clone of [r, ci]) {
      await run(clone, ['ledger', 'sync']);
      expect((await state(clone)).state).toBe('cut');
    }
  });

  it('plan --replace and abort refuse while a phase of the release runs', async () => {
    const r = project(BUILD('touch "$HOME/started"; while [ ! -f "$HOME/go" ]; do sleep 0.02; done'));
    await run(r, ['plan']);
    const ci = otherClone(r);
    const cutting = run(r, ['cut']);
    await appears(join(r.home, 'started'));
    // The step's start reached the shared ledger before the step ran: a takeover would know it may have run.
    const seen = JSON.parse((await run(ci, ['status', '--json'])).stdout) as { phases: { build: { steps: Array<{ name: string; state: string }> } } };
    expect(seen.phases.build.steps).toEqual([expect.objectContaining({ name: 'compile', state: 'running' })]);
    for (const args of [['plan', '--replace', '--reason', 'x'], ['abort', '--reason', 'x']]) {
      const refused = await run(ci, args);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stderr).toMatch(/error\[E_PHASE_RUNNING\]: the build phase of 1\.0\.1 is running/);
    }
    writeFileSync(join(r.home, 'go'), '');
    expect((await cutting).code).toBe(0);
    expect((await state(r)).state).toBe('cut');
  });
});

describe('what the trial found', () => {
  it('cut --dry-run asks for a git identity, as cut does', async () => {
    const r = project();
    await run(r, ['plan']);
    r.git('config', '--unset', 'user.name');
    r.git('config', '--unset', 'user.email');
    r.git('config', 'user.useConfigOnly', 'true');
    const anonymous = { GIT_COMMITTER_NAME: '', GIT_COMMITTER_EMAIL: '', GIT_AUTHOR_NAME: '', GIT_AUTHOR_EMAIL: '', EMAIL: '' };
    for (const args of [['cut'], ['cut', '--dry-run']]) {
      const refused = await run(r, args, { env: anonymous });
      expect(refused.code, args.join(' ')).toBe(3);
      expect(refused.stderr).toContain('E_NO_IDENTITY');
    }
  });

  it('a cut refused by its checks writes nothing, not even the step logs\' .gitignore', async () => {
    const r = project();
    await run(r, ['plan']);
    writeFileSync(join(r.dir, 'package.json'), '{}\n');
    expect((await run(r, ['cut'])).code).toBe(3);
    expect(existsSync(join(r.dir, '.relmgr'))).toBe(false);
  });

  it('abandoning a release cut with --no-push: Next drops its tag and commit, and the next release takes its version', async () => {
    const r = project();
    await run(r, ['plan']);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    const aborted = await run(r, ['abort']);
    expect(aborted.code).toBe(0);
    const next = /Next: (git tag -d v1\.0\.1 && git rebase --onto [0-9a-f]{7} [0-9a-f]{7}) \(1\.0\.1 was never pushed/.exec(aborted.stdout);
    expect(next, aborted.stdout).not.toBeNull();
    for (const part of next![1]!.split(' && ')) r.git(...part.split(' ').slice(1));
    r.commit('fix: the real fix', { file: 'b.txt' });
    const plan = await run(r, ['plan', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ version: '1.0.1', previousVersion: '1.0.0' });
    expect((await run(r, ['cut'])).code).toBe(0);
    expect(r.git('ls-remote', '--tags', r.bare)).toContain('refs/tags/v1.0.1');
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8').match(/## \[?1\.0\.1/g)).toHaveLength(1);
  });

  it('abandoning it from another clone: Next says where to drop it, and the clone that cut it says how', async () => {
    const r = project();
    await run(r, ['plan']);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    const ci = otherClone(r);
    const aborted = await run(ci, ['abort']);
    expect(aborted.stdout).toMatch(/Next: in the clone that cut it \(by Test Author <author@example\.com>\): git tag -d v1\.0\.1 && git rebase --onto [0-9a-f]{7} [0-9a-f]{7} \(1\.0\.1 was never pushed/);
    await run(r, ['ledger', 'sync']);
    const status = await run(r, ['status', '--release', '1.0.1']);
    const next = /Next: (git tag -d v1\.0\.1 && git rebase --onto [0-9a-f]{7} [0-9a-f]{7}) \(1\.0\.1 was never pushed/.exec(status.stdout);
    expect(next, status.stdout).not.toBeNull();
    for (const part of next![1]!.split(' && ')) r.git(...part.split(' ').slice(1));
    r.commit('fix: the real fix', { file: 'b.txt' });
    expect(JSON.parse((await run(r, ['plan', '--json'])).stdout)).toMatchObject({ version: '1.0.1', previousVersion: '1.0.0' });
  });

  it('plan in a CI clone behind the planned commit: the release goes on (resume), it is not replaced', async () => {
    const r = project('schema: relmgr/v1\nphases:\n  test:\n    steps:\n      - { name: unit, run: "test -f .marker-ok" }\n');
    const ci = otherClone(r);
    r.commit('fix: on the laptop', { file: 'b.txt' });
    r.git('push', '-q', 'origin', 'main');
    await run(r, ['plan']);
    expect((await run(r, ['cut'])).code).toBe(0);
    expect((await run(r, ['test'])).code).toBe(20);
    const github = join(r.home, 'github-output');
    const planned = await run(ci, ['plan'], { env: { GITHUB_OUTPUT: github } });
    expect(planned.code).toBe(0);
    expect(planned.stdout).not.toContain('moved past it');
    expect(planned.stdout).toContain('Next: git fetch --tags origin, then git checkout v1.0.1 (if HEAD is not there), then relmgr resume');
    expect(readFileSync(github, 'utf8')).toContain('next=resume');
    ci.git('fetch', '-q', '--tags', 'origin');
    ci.git('checkout', '-q', 'v1.0.1');
    writeFileSync(join(ci.dir, '.marker-ok'), '');
    expect((await run(ci, ['resume'])).code).toBe(0);
  });

  it('abort on a terminal: saying no, or stopping, names the command with its --reason', async () => {
    const r = project();
    await run(r, ['plan']);
    const stderr = capture(true);
    const refused = await run(r, ['abort', '--reason', 'wrong "branch"'], { env: { NO_COLOR: '1' }, context: { stdin: { isTTY: true }, stderr, prompts: () => ({ text: async () => '', confirm: async () => false, select: async () => { throw new Error('no select expected'); } }) } });
    expect(refused.code).not.toBe(0);
    expect(stderr.text).toContain('hint: nothing to do; to abandon it after all: relmgr abort --reason "wrong \\"branch\\"" --yes');
    expect((await state(r)).state).toBe('planned');
  });
});
