import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hangingServer } from '../helpers/hanging.js';
import { BUILD, follow, onRemote, otherClone, pointer, pushElsewhere, state } from '../helpers/hints.js';
import { run, useProjects } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);

describe('status, resume and the hints say the same next command, and it works', () => {
  it('after a push refused because the branch moved, status repeats the failure: git pull --rebase --tags → plan --replace → cut', async () => {
    const r = project();
    expect((await run(r, ['plan'])).code).toBe(0);
    pushElsewhere(r);
    expect((await run(r, ['cut'])).code).toBe(20);
    const status = await run(r, ['status']);
    expect(status.stdout).not.toContain('relmgr resume');
    // Nothing was published: no --reason; git's output stays indented under the phase.
    expect(status.stdout).not.toContain('--reason');
    const lines = status.stdout.split('\n');
    const failed = lines.findIndex((l) => l.startsWith('  build    failed'));
    const end = lines.indexOf('', failed);
    expect(lines.slice(failed + 1, end).every((l) => l.startsWith('             ')), status.stdout).toBe(true);
    expect(lines.slice(failed + 1, end).join('\n')).toContain('[rejected]');
    // What was applied, undone, and what failed: not one bullet for all of them.
    expect(lines.slice(failed + 1, end)).toEqual(expect.arrayContaining(['             ↶ tag (undone)', '             ✖ push failed']));
    expect(status.stdout).not.toContain('•');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).next).toContain('relmgr plan --replace');
    // plan, run first, says the same (not: relmgr resume).
    const plan = await run(r, ['plan']);
    expect(plan.stdout).toMatch(/Next: the branch moved on origin: git pull --rebase --tags origin main, then relmgr plan --replace\n/);
    expect((await follow(r, status, 'git pull --rebase --tags origin main')).code).toBe(0);
    const replanned = await follow(r, status, 'relmgr plan --replace');
    expect(replanned.code, replanned.stderr).toBe(0);
    expect((await follow(r, replanned, 'relmgr cut')).code).toBe(0);
    expect(await state(r)).toMatchObject({ version: '1.0.1', state: 'cut' });
  });

  it('after relmgr push refused because the branch moved, status and abort repeat its recipe, and it works', async () => {
    const r = project();
    for (const args of [['plan'], ['cut', '--no-push']]) expect((await run(r, args)).code).toBe(0);
    pushElsewhere(r);
    const refused = await run(r, ['push']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('error[E_BRANCH_MOVED]');
    const recipe = pointer(refused);
    expect(recipe).toMatch(/^start over on top of it: relmgr abort --reason "main moved", then git tag -d v1\.0\.1, then git reset --keep [0-9a-f]{12}, then git pull --rebase --tags origin main, then relmgr plan$/);
    // Not: relmgr test, and relmgr push (which is refused the same way).
    const status = await run(r, ['status']);
    expect(pointer(status)).toBe(recipe);
    expect(status.stdout).toContain('✖ push refused (E_BRANCH_MOVED)');
    expect((await run(r, ['ledger', 'log'])).stdout).toMatch(/effect\.failed\s+build push E_BRANCH_MOVED/);
    const aborted = await run(r, ['abort', '--reason', 'main moved']);
    expect(aborted.code, aborted.stderr).toBe(0);
    const after = recipe.slice(recipe.indexOf('git tag -d'));
    expect(pointer(aborted)).toBe(after);
    expect(pointer(await run(r, ['status', '--release', '1.0.1']))).toBe(`${after} (this release was abandoned)`);
    for (const step of after.split(', then ').slice(0, -1)) expect((await follow(r, aborted, step)).code).toBe(0);
    const planned = await follow(r, aborted, 'relmgr plan');
    expect(planned.code, planned.stderr).toBe(0);
    expect((await follow(r, planned, 'relmgr cut')).code).toBe(0);
    expect(await state(r)).toMatchObject({ version: '1.0.1', state: 'cut' });
    expect(onRemote(r, 'refs/tags/v1.0.1')).toBe(true);
  });

  it('a file committed since plan is not "untracked": plan --replace → cut, never mv of a tracked file', async () => {
    const r = project();
    expect((await run(r, ['plan'])).code).toBe(0);
    writeFileSync(join(r.dir, 'CHANGELOG.md'), '# my notes\n');
    r.git('add', 'CHANGELOG.md');
    r.git('commit', '-q', '-m', 'docs: changelog');
    const refused = await run(r, ['cut']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('new commits since plan');
    expect(refused.stderr).not.toContain('not tracked by git');
    expect(refused.stderr).not.toMatch(/\bmv /);
    const replanned = await follow(r, refused, 'relmgr plan --replace');
    expect(replanned.code, replanned.stderr).toBe(0);
    expect((await follow(r, replanned, 'relmgr cut')).code).toBe(0);
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8')).toContain('# my notes');
    expect(r.git('status', '--porcelain')).toBe('');
  });

  it('a release cut with --no-push in one clone: the other clone says where to push it from, and that works', async () => {
    const r = project();
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    const ci = otherClone(r);
    const status = await run(ci, ['status']);
    expect(status.stdout).toMatch(/Next: cut with --no-push by .+ <.+@.+> on \d{4}-\d\d-\d\d \d\d:\d\d UTC in another clone: push it from that clone with relmgr push\n/);
    // resume has nothing to resume: it gives status's advice, not commands that refuse here.
    const resumed = await run(ci, ['resume'], { env: { CI: 'true' } });
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain('error[E_NOTHING_TO_RESUME]');
    expect(pointer(resumed)).toBe(`next: ${/Next: (.*)/.exec(status.stdout)?.[1]}`);
    for (const args of [['push'], ['test']]) {
      const refused = await run(ci, args);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stderr).toContain('error[E_COMMIT_ELSEWHERE]: the release commit of 1.0.1');
      expect(refused.stderr).not.toMatch(/git tag --annotate|git checkout/);
      expect(pointer(refused)).toContain('push it from that clone with relmgr push');
    }
    // From the clone that cut it:
    const pushed = await follow(r, status, 'relmgr push');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(onRemote(r, 'refs/tags/v1.0.1')).toBe(true);
    // Now pushed, but not fetched here yet: the hint fetches first.
    const wrong = await run(ci, ['test']);
    expect(wrong.code).toBe(3);
    expect(pointer(wrong)).toBe('test what was released: git fetch --tags origin, then git checkout v1.0.1');
    ci.git('fetch', '-q', '--tags', 'origin');
    ci.git('checkout', '-q', 'v1.0.1');
    expect((await run(ci, ['test'])).code).toBe(0);
  });

  it('after cut --no-push, test and resume --no-push name relmgr push, and it works', async () => {
    const r = project(BUILD('test -f .marker-ok'));
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(20);
    writeFileSync(join(r.dir, '.marker-ok'), '');
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^Cut 1\.0\.1: commit [0-9a-f]{7}, tag v1\.0\.1 \(not pushed\)\nNext: relmgr test, and relmgr push to publish it/);
    const tested = await follow(r, resumed, 'relmgr test');
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/Next: relmgr push/);
    const pushed = await follow(r, tested, 'relmgr push');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(onRemote(r, 'refs/tags/v1.0.1')).toBe(true);
  });

  it('a second abort says the release is already abandoned; after aborting a published one: commit the fix, then plan', async () => {
    const r = project();
    for (const args of [['plan'], ['cut']]) expect((await run(r, args)).code).toBe(0);
    const aborted = await run(r, ['abort', '--reason', 'broken']);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(aborted.stdout).toMatch(/Next: commit the fix, then relmgr plan\n$/);
    const again = await run(r, ['abort', '--reason', 'again']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('error[E_ABANDONED]: release 1.0.1 is already abandoned');
    // Planning from the same commit finds nothing new (its tag stays): the fix comes first.
    const nothing = await run(r, ['plan']);
    expect(`${nothing.stdout}${nothing.stderr}`).toContain('nothing to release');
    r.commit('fix: the real fix', { file: 'fix.txt' });
    const planned = await follow(r, aborted, 'relmgr plan');
    expect(planned.code, planned.stderr).toBe(0);
    expect((await follow(r, planned, 'relmgr cut')).code).toBe(0);
    expect(await state(r)).toMatchObject({ version: '1.0.2', state: 'cut' });
  });

  it('a release push that timed out: resume --no-push (cut --no-push refuses a failed cut) → push', async () => {
    const r = project('schema: relmgr/v1\nversioning: { branches: [main] }\nnetwork: { timeout: 30s, read_timeout: 300ms }\n');
    expect((await run(r, ['plan'])).code).toBe(0);
    const server = await hangingServer();
    try {
      // Fetches (the ledger, ls-remote) reach the real remote; pushes go to one that never answers.
      r.git('remote', 'set-url', '--push', 'origin', server.url('remote.git'));
      r.env.RELMGR_NETWORK_TIMEOUT = '500ms';
      const failed = await run(r, ['cut']);
      expect(failed.code, failed.stderr).toBe(20);
      expect(failed.stderr).toContain('did not answer git push within 500ms');
      expect(pointer(failed)).not.toMatch(/: --no-push|relmgr cut --no-push/);
      expect((await run(r, ['cut', '--no-push'])).code).toBe(3);
      expect((await run(r, ['status'])).stdout).toContain('Next: check the remote (git ls-remote origin), then: relmgr resume; or without pushing: relmgr resume --no-push');
      const resumed = await follow(r, failed, 'relmgr resume --no-push');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain('(not pushed)');
      r.git('remote', 'set-url', '--push', 'origin', r.bare);
      // The real remote again: the short timeout was for the one that never answers (not for a busy machine).
      delete r.env.RELMGR_NETWORK_TIMEOUT;
      expect((await follow(r, resumed, 'relmgr push')).code).toBe(0);
      expect(onRemote(r, 'refs/tags/v1.0.1')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a remote that does not answer the tag check before anything changed: cut --no-push → push later', async () => {
    const r = project('schema: relmgr/v1\nversioning: { branches: [main] }\naudit: { ledger: { push: never } }\n');
    expect((await run(r, ['plan'])).code).toBe(0);
    const server = await hangingServer();
    try {
      r.git('remote', 'set-url', 'origin', server.url('remote.git'));
      r.env.RELMGR_NETWORK_TIMEOUT = '500ms';
      const refused = await run(r, ['cut']);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('error[E_NETWORK_TIMEOUT]');
      expect(pointer(refused)).toBe('check the remote (git ls-remote origin), then: relmgr cut; or without pushing: relmgr cut --no-push (nothing was changed)');
      const cut = await follow(r, refused, 'relmgr cut --no-push');
      expect(cut.code, cut.stderr).toBe(0);
      r.git('remote', 'set-url', 'origin', r.bare);
      delete r.env.RELMGR_NETWORK_TIMEOUT;
      expect((await follow(r, cut, 'relmgr push')).code).toBe(0);
      expect(onRemote(r, 'refs/tags/v1.0.1')).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a detached HEAD with GITHUB_REF_NAME but no GITHUB_REF_TYPE: the message names the variables to set', async () => {
    const r = project();
    r.git('checkout', '-q', '--detach');
    const env = { GITHUB_REF_NAME: 'main' };
    for (const args of [['plan'], ['cut']]) {
      const refused = await run(r, args, { env });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('relmgr reads CI_COMMIT_BRANCH, or GITHUB_REF_NAME when GITHUB_REF_TYPE=branch');
      expect(refused.stderr).toContain('set CI_COMMIT_BRANCH=main (or GITHUB_REF_NAME=main with GITHUB_REF_TYPE=branch)');
      if (args[0] === 'plan') expect((await run(r, ['plan'], { env: { ...env, GITHUB_REF_TYPE: 'branch' } })).code).toBe(0);
    }
  });
});
