import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);

describe('relmgr next', () => {
  it('prints the bare version and nothing else on stdout', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.3.2');
    r.commit('docs: readme');
    r.commit('feat(api): add export');
    r.commit('fix: crash');
    const out = await run(r, ['next']);
    expect(out).toEqual({ code: 0, stdout: '1.4.0\n', stderr: '' });
  });

  it('prints the reasons with --json', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.3.2', { annotated: true });
    const hash = r.commit('feat(api): add export');
    r.commit('chore: tidy');
    const out = await run(r, ['next', '--json']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      current: '1.3.2',
      next: '1.4.0',
      bump: 'minor',
      tag: 'v1.4.0',
      previousTag: 'v1.3.2',
      commits: 2,
      track: 'normal',
      reasons: [{ hash, type: 'feat', scope: 'api', subject: 'add export', bump: 'minor', breaking: false }],
      warnings: [],
    });
  });

  it('exits 0 with empty stdout when there is nothing to release', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('docs: only docs');
    expect(await run(r, ['next'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '1 commit(s) since v1.0.0, none of them a feat, fix, perf, revert or breaking change: nothing to release\n',
    });
    const json = await run(r, ['next', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ current: '1.0.0', next: null, tag: null, bump: 'none' });
  });

  it('starts at the initial version without tags, and ignores tags that are not releases', async () => {
    const r = repo();
    r.commit('chore: init');
    r.tag('latest');
    r.tag('v2');
    r.tag('release-candidate');
    expect((await run(r, ['next'])).stdout).toBe('0.1.0\n');
  });

  it('applies the 0.x rules: breaking means minor', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v0.3.1');
    r.commit('feat!: rename everything');
    expect((await run(r, ['next'])).stdout).toBe('0.4.0\n');
    expect((await run(r, ['next', '--release-as', '1.0.0'])).stdout).toBe('1.0.0\n');
  });

  it('picks the highest release reachable from HEAD, not from other branches', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'next-major');
    r.commit('feat!: big');
    r.tag('v2.0.0');
    r.git('checkout', '-q', 'main');
    r.commit('fix: on main');
    expect((await run(r, ['next'])).stdout).toBe('1.0.1\n');
  });

  it('finds an older reachable release past many unreachable higher tags', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'future');
    for (let i = 1; i <= 6; i++) {
      r.commit(`feat: f${i}`);
      r.tag(`v1.${i}.0`);
    }
    r.git('checkout', '-q', 'main');
    r.commit('fix: on main');
    expect((await run(r, ['next', '--json'])).stdout).toContain('"previousTag": "v1.0.0"');
    expect((await run(r, ['next'])).stdout).toBe('1.0.1\n');
  });

  it('counts commits from merged branches, and a merge by its own conventional message', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'topic');
    r.commit('fix: on a branch', { file: 'b.txt' });
    r.git('checkout', '-q', 'main');
    r.commit('docs: on main');
    r.git('merge', '-q', '--no-ff', '-m', 'feat: merge message that looks like a feature', 'topic');
    const json = JSON.parse((await run(r, ['next', '--json'])).stdout);
    expect(json.next).toBe('1.1.0');
    expect(json.commits).toBe(2);
    expect(json.reasons.map((x: { subject: string }) => x.subject)).toEqual(['merge message that looks like a feature', 'on a branch']);
  });

  it('computes pre-releases from the last stable release', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.3.2');
    r.commit('feat: a');
    expect((await run(r, ['next', '--pre', 'rc'])).stdout).toBe('1.4.0-rc.0\n');
    r.tag('v1.4.0-rc.0');
    r.commit('fix: b');
    expect((await run(r, ['next', '--pre', 'rc'])).stdout).toBe('1.4.0-rc.1\n');
    r.commit('feat!: c');
    expect((await run(r, ['next', '--pre', 'rc'])).stdout).toBe('2.0.0-rc.0\n');
    expect((await run(r, ['next'])).stdout).toBe('2.0.0\n');
    expect(JSON.parse((await run(r, ['next', '--json'])).stdout).commits).toBe(3);
  });

  it('honours Release-As footers and --release-as', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('chore: prepare\n\nRelease-As: 3.0.0');
    expect((await run(r, ['next'])).stdout).toBe('3.0.0\n');
    expect((await run(r, ['next', '--release-as', '2.5.0'])).stdout).toBe('2.5.0\n');
  });

  it.each([
    [['--release-as', 'banana'], /--release-as asks for "banana", which is not a semantic version/],
    [['--release-as', '0.9.0'], /not greater than the last release 1\.0\.0/],
    [['--pre', '123'], /invalid pre-release identifier "123"/],
    [['--track', 'sideways'], /argument 'sideways' is invalid/],
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
  ])('rejects %j with exit 2', async (args, message) => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('fix: x');
    const out = await run(r, ['next', ...args]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
  });

  it('makes emergency releases a patch, skipping taken versions', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.3.2');
    r.commit('feat!: not a patch at all');
    expect((await run(r, ['next', '--track', 'emergency'])).stdout).toBe('1.3.3\n');
    r.git('checkout', '-q', '-b', 'other', 'v1.3.2');
    r.commit('fix: elsewhere');
    r.tag('v1.3.3');
    r.git('checkout', '-q', 'main');
    expect((await run(r, ['next', '--track', 'emergency'])).stdout).toBe('1.3.4\n');
  });

  it('honours a custom tag prefix only through the config (default v{version}), and names the tags it does not match', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('app@1.0.0');
    r.commit('fix: x');
    const out = await run(r, ['next']);
    expect(out.code).toBe(3);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('error[E_TAG_FORMAT]: no tag matches versioning.tag "v{version}", but 1 tag(s) look like releases in another format, e.g. app@1.0.0');
    expect(out.stderr).toContain('tag: "app@{version}"');
    expect(JSON.parse((await run(r, ['next', '--json'])).stdout).error.code).toBe('E_TAG_FORMAT');
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning:\n  tag: "app@{version}"\n');
    expect((await run(r, ['next'])).stdout).toBe('1.0.1\n');
  });

  it('handles non-conventional, empty, huge and non-UTF-8 messages', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('');
    r.commit('Just some message');
    r.commit(`fix: ${'very long '.repeat(50_000)}\n\n${'x'.repeat(300_000)}`);
    execFileSync('git', ['commit', '-q', '--allow-empty', '-F', '-'], { cwd: r.dir, env: r.env, input: Buffer.from([0x66, 0x65, 0x61, 0x74, 0x3a, 0x20, 0xff, 0xfe]) });
    const out = await run(r, ['next', '--json']);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.next).toBe('1.1.0');
    expect(json.commits).toBe(4);
  });

  it('runs in another directory with -C', async () => {
    const r = repo();
    r.commit('feat: first');
    const elsewhere = mkdtempSync(join(tmpdir(), 'relmgr-cwd-'));
    expect((await run(r, ['-C', r.dir, 'next'], { cwd: elsewhere })).stdout).toBe('0.1.0\n');
    expect((await run(r, ['next', '-C', r.dir], { cwd: elsewhere })).stdout).toBe('0.1.0\n');
  });

  it('writes GitHub Actions outputs and a dotenv file', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('feat: second');
    const out = join(r.home, 'gh-output');
    const summary = join(r.home, 'gh-summary');
    writeFileSync(out, '');
    const result = await run(r, ['next', '--dotenv', 'release.env'], { env: { GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary } });
    expect(result.stdout).toBe('1.1.0\n');
    expect(readFileSync(out, 'utf8')).toBe('version=1.1.0\ntag=v1.1.0\nstate=due\nenvironment=\nreleased=true\nbump=minor\n');
    expect(readFileSync(summary, 'utf8')).toContain('relmgr next: 1.1.0');
    expect(readFileSync(join(r.dir, 'release.env'), 'utf8')).toBe('RELMGR_VERSION=1.1.0\nRELMGR_TAG=v1.1.0\nRELMGR_STATE=due\nRELMGR_ENVIRONMENT=\nRELMGR_RELEASED=true\nRELMGR_BUMP=minor\n');
  });
});

describe('relmgr next: errors that help', () => {
  it('outside a git repository: exit 3 and what to do', async () => {
    const r = repo({ init: false });
    const out = await run(r, ['next'], { env: { GIT_CEILING_DIRECTORIES: join(r.dir, '..') } });
    expect(out.code).toBe(3);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^error\[E_NOT_GIT_REPO\]: .* is not inside a git repository\nhint: /);
  });

  it('in a repository without commits: exit 3', async () => {
    const r = repo();
    const out = await run(r, ['next']);
    expect(out.code).toBe(3);
    expect(out.stderr).toMatch(/has no commits yet\nhint: make a first commit/);
  });

  it('in a shallow clone that does not reach the last tag: exit 3 and the fetch to run', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    for (let i = 0; i < 3; i++) r.commit(`fix: ${i}`);
    const clone = join(r.home, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '2', `file://${r.dir}`, clone], { env: r.env });
    const out = await run({ dir: clone, env: r.env }, ['next']);
    expect(out.code).toBe(3);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('git fetch --unshallow --tags');
    execFileSync('git', ['fetch', '-q', '--unshallow', '--tags'], { cwd: clone, env: r.env });
    expect((await run({ dir: clone, env: r.env }, ['next'])).stdout).toBe('1.0.1\n');
  });

  it('in a shallow clone that reaches the last tag: works', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.commit('fix: one');
    const clone = join(r.home, 'shallow2');
    execFileSync('git', ['clone', '-q', '--depth', '5', '--no-single-branch', `file://${r.dir}`, clone], { env: r.env });
    expect((await run({ dir: clone, env: r.env }, ['next'])).stdout).toBe('1.0.1\n');
  });

  it('warns when a version file holds a version above the one it proposes (plan would refuse it)', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning: { branches: [main], files: [{ path: Cargo.toml, toml: package.version }, { path: pyproject.toml, toml: project.version }] }\n');
    writeFileSync(join(r.dir, 'Cargo.toml'), '[package]\nname = "x"\nversion = "1.0.0"\n');
    writeFileSync(join(r.dir, 'pyproject.toml'), '[project]\nname = "x"\nversion = "2.0.0"\n');
    r.commit('feat: first', { file: 'a.txt' });
    r.tag('v1.0.0');
    r.commit('fix: x', { file: 'b.txt' });
    const out = await run(r, ['next']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('1.0.1\n');
    expect(out.stderr).toBe('warning: 1.0.1 is below the version already in pyproject.toml (2.0.0): relmgr plan will refuse it (E_VERSION_DOWNGRADE); release above it with --release-as 2.0.1\n');
    expect(JSON.parse((await run(r, ['next', '--json'])).stdout).warnings).toEqual([expect.stringContaining('pyproject.toml (2.0.0)')]);
    const plan = await run(r, ['plan']);
    expect(plan.code).toBe(3);
    expect(plan.stderr).toContain('E_VERSION_DOWNGRADE');
    expect((await run(r, ['next', '--release-as', '2.0.1'])).stderr).toBe('');
  });

  it('warns when package.json holds a pre-release above the proposed version', async () => {
    const r = repo();
    r.commit('feat: first', { file: 'a.txt' });
    r.tag('v1.2.3');
    writeFileSync(join(r.dir, 'package.json'), '{ "name": "x", "version": "1.5.0-rc.1" }\n');
    r.commit('fix: x', { file: 'b.txt' });
    const out = await run(r, ['next']);
    expect(out.stdout).toBe('1.2.4\n');
    expect(out.stderr).toContain('warning: 1.2.4 is below the version already in package.json (1.5.0-rc.1): relmgr plan will refuse it (E_VERSION_DOWNGRADE); release above it with --release-as 1.5.0');
  });
});
