import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo, run, type TestRepo } from '../helpers/repo.js';

const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = makeRepo();
  repos.push(r);
  r.git('config', 'user.email', 'me@example.com');
  r.git('config', 'user.name', 'Me');
  return r;
}
afterEach(() => repos.splice(0).forEach((r) => r.cleanup()));

const BROKEN = [
  'schema: relmgr/v1',
  'versioning:',
  '  tag: "release"',
  '  tpyes: { docs: patch }',
  'environments:',
  '  production:',
  '    on_failure: rollback',
  '',
].join('\n');

describe('relmgr validate', () => {
  it('accepts a valid file: exit 0, a line on stderr, nothing on stdout', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nproject: demo\n');
    expect(await run(r, ['validate'])).toEqual({ code: 0, stdout: '', stderr: 'release.config.yaml is valid\n' });
  });

  it('reports every problem with file:line:col, exit 2', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'release.config.yaml'), BROKEN);
    const out = await run(r, ['validate']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      [
        'release.config.yaml:3:8  versioning.tag  a tag template must contain {version}, e.g. "v{version}"',
        'release.config.yaml:4:3  versioning.tpyes  unknown key "tpyes" (did you mean "types"?)',
        'release.config.yaml:7:17  environments.production.on_failure  on_failure: rollback needs rollback steps under environments.production.rollback',
        'release.config.yaml: 3 errors',
        '',
      ].join('\n'),
    );
  });

  it('prints the problems as JSON with --json', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'release.config.yaml'), BROKEN);
    const out = await run(r, ['validate', '--json']);
    expect(out.code).toBe(2);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({ file: 'release.config.yaml', valid: false, errors: 3, warnings: 0 });
    expect(json.problems[1]).toEqual({ file: 'release.config.yaml', line: 4, col: 3, path: 'versioning.tpyes', severity: 'error', message: 'unknown key "tpyes" (did you mean "types"?)' });
  });

  it('passes with warnings on stderr', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'release.config.yml'), 'environments:\n  prod: { tier: production }\n');
    const out = await run(r, ['validate']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('release.config.yml:2:17  environments.prod.tier  warning: a production-tier environment with no approval gate: anyone can deploy to it\nrelease.config.yml is valid, 1 warning\n');
  });

  it('says how to start when there is no config, and finds one with -c anywhere', async () => {
    const r = repo();
    const none = await run(r, ['validate']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no release\.config\.yaml or release\.config\.yml in .*\nhint: create one with: relmgr init/);
    writeFileSync(join(r.home, 'release-config.yaml'), 'schema: relmgr/v1\n');
    expect((await run(r, ['validate', '-c', join(r.home, 'release-config.yaml')], { cwd: r.home, env: { GIT_CEILING_DIRECTORIES: join(r.home, '..') } })).code).toBe(0);
    const missing = await run(r, ['validate', '-c', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/config file nope\.yaml does not exist/);
  });
});

describe('relmgr init', () => {
  it('writes a config that validates, without a terminal or with --yes', async () => {
    for (const args of [['init'], ['init', '--yes']]) {
      const r = repo();
      r.commit('feat: first');
      writeFileSync(join(r.dir, 'package.json'), '{ "name": "shop-api" }\n');
      const out = await run(r, args);
      expect(out.code).toBe(0);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^wrote release\.config\.yaml\n/);
      const text = readFileSync(join(r.dir, 'release.config.yaml'), 'utf8');
      expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/release\.config\.schema\.json$/);
      expect(text).toContain('project: shop-api');
      expect(text).toContain('release-managers: [me@example.com]');
      expect(await run(r, ['validate'])).toMatchObject({ code: 0, stderr: 'release.config.yaml is valid\n' });
    }
  });

  it('refuses to overwrite (exit 3) unless --force', async () => {
    const r = repo();
    writeFileSync(join(r.dir, 'release.config.yml'), 'project: mine\n');
    const out = await run(r, ['init', '--yes']);
    expect(out.code).toBe(3);
    expect(out.stderr).toMatch(/release\.config\.yml already exists: nothing was written\nhint: .*relmgr init --force/);
    expect(readFileSync(join(r.dir, 'release.config.yml'), 'utf8')).toBe('project: mine\n');
    expect(existsSync(join(r.dir, 'release.config.yaml'))).toBe(false);
    expect((await run(r, ['init', '--yes', '--force'])).code).toBe(0);
    expect(existsSync(join(r.dir, 'release.config.yaml'))).toBe(true);
  });
});

describe('the config everywhere', () => {
  it('next honours versioning: tag, initial, 0.x rule and types', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('api@0.4.0');
    r.commit('feat!: breaking');
    // Without the config the api@ tags are not releases, and relmgr says so rather than starting over at 0.1.0.
    expect(await run(r, ['next'])).toMatchObject({ code: 3, stdout: '', stderr: expect.stringContaining('e.g. api@0.4.0') });
    writeFileSync(join(r.dir, 'release.config.yaml'), 'versioning:\n  tag: "api@{version}"\n');
    expect((await run(r, ['next'])).stdout).toBe('0.5.0\n');
    writeFileSync(join(r.dir, 'release.config.yaml'), 'versioning:\n  tag: "api@{version}"\n  initialDevelopment: { breaking: major }\n');
    expect(JSON.parse((await run(r, ['next', '--json'])).stdout)).toMatchObject({ next: '1.0.0', tag: 'api@1.0.0', previousTag: 'api@0.4.0' });
    r.tag('api@1.0.0');
    r.commit('docs: only docs');
    expect((await run(r, ['next'])).stdout).toBe('');
    writeFileSync(join(r.dir, 'release.config.yaml'), 'versioning:\n  tag: "api@{version}"\n  types: { docs: patch }\n');
    expect((await run(r, ['next'])).stdout).toBe('1.0.1\n');
    // flags win over the file
    expect((await run(r, ['next', '--release-as', '3.0.0'])).stdout).toBe('3.0.0\n');
  });

  it('makes pre-releases on a branch configured with prerelease', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    r.git('checkout', '-q', '-b', 'next');
    r.commit('feat: upcoming');
    writeFileSync(join(r.dir, 'release.config.yaml'), 'versioning:\n  branches: [main, { name: next, prerelease: beta }]\n');
    expect((await run(r, ['next'])).stdout).toBe('1.1.0-beta.0\n');
    expect((await run(r, ['next', '--pre', 'rc'])).stdout).toBe('1.1.0-rc.0\n');
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--ff-only', 'next');
    expect((await run(r, ['next'])).stdout).toBe('1.1.0\n');
  });

  it('uses -c and versioning.initial', async () => {
    const r = repo();
    r.commit('feat: first');
    writeFileSync(join(r.home, 'other.yaml'), 'versioning: { initial: 1.0.0 }\n');
    expect((await run(r, ['next', '-c', join(r.home, 'other.yaml')])).stdout).toBe('1.0.0\n');
  });

  it('changelog honours changelog.file, template and urls', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.0.0');
    const hash = r.commit('fix: a bug\n\nCloses #4');
    writeFileSync(join(r.dir, 'section.hbs'), '## {{title}}\n{{#each commits}}- {{subject}} {{url}} {{#each references}}{{url}}{{/each}}\n{{/each}}');
    writeFileSync(
      join(r.dir, 'release.config.yaml'),
      'changelog:\n  file: docs/CHANGES.md\n  template: section.hbs\n  urls: { commit: "https://git.example.com/c/{hash}", issue: "https://jira.example.com/{issue}" }\n',
    );
    expect((await run(r, ['changelog', '--write'])).code).toBe(0);
    const full = r.git('rev-parse', hash);
    expect(readFileSync(join(r.dir, 'docs/CHANGES.md'), 'utf8')).toContain(`## 1.0.1\n- a bug https://git.example.com/c/${full} https://jira.example.com/4\n`);
  });

  it('a broken config stops next and changelog with the validate messages, exit 2, nothing written', async () => {
    const r = repo();
    r.commit('feat: first');
    writeFileSync(join(r.dir, 'release.config.yaml'), BROKEN);
    const validate = (await run(r, ['validate'])).stderr.split('\n').filter((line) => line.startsWith('release.config.yaml:') && line.includes('  '));
    for (const args of [['next'], ['changelog', '--write']]) {
      const out = await run(r, args);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^error\[E_CONFIG\]: release\.config\.yaml has 3 problems:\n/);
      for (const line of validate) expect(out.stderr).toContain(`  ${line}\n`);
      expect(out.stderr).toMatch(/hint: fix them and check with: relmgr validate\n$/);
    }
    expect(existsSync(join(r.dir, 'CHANGELOG.md'))).toBe(false);
  });
});

describe('relmgr init in CI', () => {
  it.each(['ci@localhost', 'jenkins@build-07'])('accepts the identity git accepts: %s', async (email) => {
    const r = repo();
    r.git('config', 'user.email', email);
    r.commit('feat: first');
    const out = await run(r, ['init', '--yes']);
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(join(r.dir, 'release.config.yaml'), 'utf8')).toContain(`release-managers: [${email}]`);
    expect(await run(r, ['validate'])).toMatchObject({ code: 0, stderr: 'release.config.yaml is valid\n' });
  });

  it.each([['no user.email', null], ['an unusable one', 'jenkins']])('writes a marked placeholder with %s, says what to edit, and validate warns', async (_, email) => {
    const r = repo();
    r.git('config', '--unset', 'user.email');
    if (email) r.git('config', 'user.email', email);
    r.commit('feat: first');
    const out = await run(r, ['init', '--yes']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('groups.release-managers in release.config.yaml lists the placeholder replace-me@example.invalid: replace it');
    const text = readFileSync(join(r.dir, 'release.config.yaml'), 'utf8');
    expect(text).toMatch(/# PLACEHOLDER: .*\n {2}release-managers: \[replace-me@example\.invalid\]/);
    const validate = await run(r, ['validate']);
    expect(validate.code).toBe(0);
    expect(validate.stderr).toMatch(/groups\.release-managers\[0\] +warning: replace-me@example\.invalid is the placeholder relmgr init wrote/);
    expect(validate.stderr).toContain('1 warning');
  });
});
