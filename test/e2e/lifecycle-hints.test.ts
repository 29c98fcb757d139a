import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, relmgr, useRepos, type RunResult, type TestRepo } from '../helpers/repo.js';

const repo = useRepos(afterEach);
type Project = TestRepo & { bare: string };
const project = (config = ''): Project => makeProject(repo, config);
const BUILD = (run: string) => `schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  build:\n    steps:\n      - { name: compile, run: ${JSON.stringify(run)} }\n`;

/** The hint of a failure, or the `Next:` line of a success: where the user is sent. */
function pointer(result: RunResult): string {
  // relmgr's hint is the last line of its error (a git error quoted above it may have its own hints).
  const hints = [...result.stderr.matchAll(/^hint: (.*)$/gm)];
  return (hints.at(-1) ?? /^Next: (.*)$/m.exec(result.stdout))?.[1] ?? '';
}

/** Runs exactly `command` after checking that `from` names it (in its hint or its Next: line). */
function follow(r: Project, from: RunResult, command: string): RunResult {
  expect(pointer(from), `${from.stdout}${from.stderr}`).toContain(command);
  const [tool = '', ...args] = command.split(' ');
  if (tool === 'relmgr') return relmgr(r, args);
  try {
    return { code: 0, stdout: execFileSync(tool, args, { cwd: r.dir, env: r.env, encoding: 'utf8', stdio: 'pipe' }), stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

const state = (r: Project) => JSON.parse(relmgr(r, ['status', '--json']).stdout) as { version: string; state: string };
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
  it('a build step fixed by a new commit: resume → plan --replace → cut', () => {
    const r = project(BUILD('test -f fixed.txt'));
    expect(relmgr(r, ['plan']).code).toBe(0);
    const failed = relmgr(r, ['cut']);
    expect(failed.code).toBe(20);
    r.commit('fix: the build', { file: 'fixed.txt' });
    const resumed = follow(r, failed, 'relmgr resume');
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain('new commits since plan');
    const replanned = follow(r, resumed, 'relmgr plan --replace');
    expect(replanned.code, replanned.stderr).toBe(0);
    const cut = follow(r, replanned, 'relmgr cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(state(r)).toMatchObject({ version: '1.0.1', state: 'cut' });
    expect(r.git('log', '-1', '--format=%P')).toBe(r.git('rev-parse', 'HEAD~1'));
  });

  it('a push refused because the branch moved on the remote: git pull --rebase --tags → plan --replace → cut', () => {
    const r = project();
    expect(relmgr(r, ['plan']).code).toBe(0);
    pushElsewhere(r);
    const failed = relmgr(r, ['cut']);
    expect(failed.code).toBe(20);
    expect(failed.stderr).toContain('undone: ');
    const pulled = follow(r, failed, 'git pull --rebase --tags origin main');
    expect(pulled.code, pulled.stderr).toBe(0);
    // The old hint (relmgr resume) fails the same way again: the loop this replaces.
    const replanned = follow(r, failed, 'relmgr plan --replace');
    expect(replanned.code, replanned.stderr).toBe(0);
    const cut = follow(r, replanned, 'relmgr cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(onRemote(r, 'refs/tags/v1.0.1')).toBe(true);
    expect(r.git('rev-parse', 'HEAD~1')).toBe(r.git('rev-parse', 'origin/main~1'));
  });

  it('a tag already on the remote: git pull --rebase --tags → plan --replace plans the next version → cut', () => {
    const r = project();
    r.commit('feat: local work', { file: 'c.txt' });
    expect(relmgr(r, ['plan']).code).toBe(0);
    pushElsewhere(r, 'v1.1.0');
    const refused = relmgr(r, ['cut']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('tag v1.1.0 already exists on origin');
    expect(follow(r, refused, 'git pull --rebase --tags origin main').code).toBe(0);
    const replanned = follow(r, refused, 'relmgr plan --replace');
    expect(replanned.code, `${replanned.stdout}${replanned.stderr}`).toBe(0);
    const cut = follow(r, replanned, 'relmgr cut');
    expect(cut.code, cut.stderr).toBe(0);
    expect(state(r)).toMatchObject({ version: '1.2.0', state: 'cut' });
  });

  it('HEAD moved since plan: plan --replace → cut', () => {
    const r = project();
    relmgr(r, ['plan']);
    r.commit('feat: more', { file: 'b.txt' });
    const refused = relmgr(r, ['cut']);
    expect(refused.code).toBe(3);
    const replanned = follow(r, refused, 'relmgr plan --replace');
    expect(follow(r, replanned, 'relmgr cut').code).toBe(0);
    expect(state(r)).toMatchObject({ version: '1.1.0', state: 'cut' });
  });

  it('an interrupted step that is not idempotent: resume → resume --rerun', () => {
    const r = project(BUILD('if [ ! -f .marker-killed ]; then touch .marker-killed; kill -9 $PPID; fi; echo built'));
    relmgr(r, ['plan']);
    expect(relmgr(r, ['cut']).code).toBe(137);
    const again = relmgr(r, ['cut']);
    expect(again.code).toBe(3);
    const resumed = follow(r, again, 'relmgr resume');
    expect(resumed.code).toBe(3);
    const rerun = follow(r, resumed, 'relmgr resume --rerun');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(state(r).state).toBe('cut');
  });

  it('a failed test step fixed outside the repository: resume', () => {
    const r = project(`${BUILD('true')}  test:\n    steps: [ { name: smoke, run: "test -f .marker-ok" } ]\n`);
    for (const args of [['plan'], ['cut']]) expect(relmgr(r, args).code).toBe(0);
    const failed = relmgr(r, ['test']);
    expect(failed.code).toBe(20);
    writeFileSync(join(r.dir, '.marker-ok'), '');
    expect(follow(r, failed, 'relmgr resume').code).toBe(0);
    expect(state(r).state).toBe('tested');
  });

  it('a failed test fixed by a new commit: plan --replace --reason supersedes the published release → cut → test', () => {
    const r = project(`${BUILD('true')}  test:\n    steps: [ { name: smoke, run: "test -f fixed.txt" } ]\n`);
    for (const args of [['plan'], ['cut']]) expect(relmgr(r, args).code).toBe(0);
    const failed = relmgr(r, ['test']);
    expect(failed.code).toBe(20);
    r.commit('fix: the smoke test', { file: 'fixed.txt' });
    // resume at the new commit would test something that is not the release: it says so.
    const resumed = follow(r, failed, 'relmgr resume');
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain('not the release commit of 1.0.1');
    const replanned = follow(r, failed, 'relmgr plan --replace --reason "…"');
    expect(replanned.code, replanned.stderr).toBe(0);
    expect(follow(r, replanned, 'relmgr cut').code).toBe(0);
    expect(follow(r, relmgr(r, ['status']), 'relmgr test').code).toBe(0);
    expect(state(r)).toMatchObject({ version: '1.0.2', state: 'tested' });
    expect(relmgr(r, ['ledger', 'log']).stdout).toMatch(/1\.0\.1\s+release\.abandoned\s+replaced by 1\.0\.2: "…"/);
  });

  it('a failed test resumed from another commit: git checkout <tag> → resume', () => {
    const r = project(`${BUILD('true')}  test:\n    steps: [ { name: smoke, run: "test -f \\"$HOME/.marker-ok\\"" } ]\n`);
    for (const args of [['plan'], ['cut']]) expect(relmgr(r, args).code).toBe(0);
    expect(relmgr(r, ['test']).code).toBe(20);
    r.git('checkout', '-q', 'HEAD~1');
    writeFileSync(join(r.home, '.marker-ok'), '');
    const wrong = relmgr(r, ['resume']);
    expect(wrong.code).toBe(3);
    expect(follow(r, wrong, 'git checkout v1.0.1').code).toBe(0);
    const resumed = follow(r, wrong, 'relmgr resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(state(r).state).toBe('tested');
  });

  it('an untracked file in the way: move it → cut', () => {
    const r = project();
    relmgr(r, ['plan']);
    writeFileSync(join(r.dir, 'CHANGELOG.md'), 'my notes\n');
    const refused = relmgr(r, ['cut']);
    expect(refused.code).toBe(3);
    const moved = follow(r, refused, 'mv CHANGELOG.md CHANGELOG.md.mine');
    expect(moved.code).toBe(0);
    expect(follow(r, refused, 'relmgr cut').code).toBe(0);
    expect(readFileSync(join(r.dir, 'CHANGELOG.md.mine'), 'utf8')).toBe('my notes\n');
  });
});

describe('cut never overwrites an untracked file', () => {
  it.each([
    ['CHANGELOG.md', 'CHANGELOG.md'],
    ['the release notes', '.relmgr/releases/1.0.1/release-notes.md'],
    ['the install instructions', '.relmgr/releases/1.0.1/install.md'],
  ])('refuses up front when %s exists untracked, in --dry-run too', (_what, path) => {
    const r = project();
    relmgr(r, ['plan']);
    mkdirSync(join(r.dir, path, '..'), { recursive: true });
    writeFileSync(join(r.dir, path), 'mine\n');
    const head = r.git('rev-parse', 'HEAD');
    for (const args of [['cut', '--dry-run'], ['cut']]) {
      const refused = relmgr(r, args);
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
