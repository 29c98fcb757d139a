import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hangingServer } from '../helpers/hanging.js';
import { relmgr, run, useProjects, type RunResult, type TestRepo } from '../helpers/repo.js';

type Project = TestRepo & { bare: string };
const project = useProjects(afterEach, afterAll);
const BUILD = (run: string) => `schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  build:\n    steps:\n      - { name: compile, run: ${JSON.stringify(run)} }\n`;

/** The hint of a failure, or the `Next:` line of a success: where the user is sent. */
function pointer(result: RunResult): string {
  // relmgr's hint is the last line of its error (a git error quoted above it may have its own hints).
  const hints = [...result.stderr.matchAll(/^hint: (.*)$/gm)];
  return (hints.at(-1) ?? /^Next: (.*)$/m.exec(result.stdout))?.[1] ?? '';
}

/** Runs exactly `command` after checking that `from` names it (in its hint or its Next: line). */
async function follow(r: Project, from: RunResult, command: string): Promise<RunResult> {
  expect(pointer(from), `${from.stdout}${from.stderr}`).toContain(command);
  const [tool = '', ...args] = command.split(' ');
  if (tool === 'relmgr') return await run(r, args);
  try {
    return { code: 0, stdout: execFileSync(tool, args, { cwd: r.dir, env: r.env, encoding: 'utf8', stdio: 'pipe' }), stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

const state = async (r: Project) => JSON.parse((await run(r, ['status', '--json'])).stdout) as { version: string; state: string };
const onRemote = (r: Project, ref: string) => execFileSync('git', ['ls-remote', r.bare, ref], { encoding: 'utf8' }).trim() !== '';

/** Another machine: a clone of the remote that pushes a commit (and maybe a tag) to main. */
function pushElsewhere(r: Project, tag?: string): void {
  const other = join(r.home, `other-${Math.random().toString(36).slice(2)}`);
  execFileSync('git', ['clone', '-q', r.bare, other], { env: r.env });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: other, env: r.env, encoding: 'utf8' });
  writeFileSync(join(other, 'other.txt'), 'from elsewhere\n');
  git('add', 'other.txt');
  git('commit', '-q', '-m', 'fix: from elsewhere');
  if (tag) git('tag', '-a', '-m', tag, tag);
  git('push', '-q', 'origin', 'main', ...(tag ? [tag] : []));
}

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

/** Another clone of the remote (a CI runner), with its own identity. */
function otherClone(r: Project): Project {
  const dir = join(r.home, `ci-${Math.random().toString(36).slice(2)}`);
  execFileSync('git', ['clone', '-q', r.bare, dir], { env: r.env });
  for (const [key, value] of [['user.name', 'Ci'], ['user.email', 'ci@example.com']]) execFileSync('git', ['config', key as string, value as string], { cwd: dir, env: r.env });
  return { ...r, dir, git: (...args: string[]) => execFileSync('git', args, { cwd: dir, env: r.env, encoding: 'utf8' }).trim() };
}

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
