import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';

type Project = TestRepo & { bare: string };
const project = useProjects(afterEach, afterAll);
const noCi = { CI: '', GITHUB_REF_TYPE: '', GITHUB_REF_NAME: '', CI_COMMIT_BRANCH: '' };
const ledgerRefs = (r: Project) => `${r.git('for-each-ref', 'refs/heads/relmgr')}${execFileSync('git', ['ls-remote', r.bare, 'refs/heads/relmgr/*'], { encoding: 'utf8' })}`.trim();

describe('plan checks before it records anything', () => {
  it('refuses a branch that is not a release branch, the CI branch too, and records nothing', async () => {
    const r = project();
    r.git('checkout', '-q', '-b', 'feature');
    for (const args of [['plan'], ['plan', '--dry-run']]) {
      const refused = await run(r, args, { env: noCi });
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stderr).toContain('cannot plan 1.0.1, nothing was recorded:\n  branch feature is not a release branch (versioning.branches: main, master)');
      expect(refused.stderr).toMatch(/hint: git checkout main, then relmgr plan\n/);
    }
    r.git('checkout', '-q', '--detach');
    const detached = await run(r, ['plan'], { env: noCi });
    expect(detached.code).toBe(3);
    expect(detached.stderr).toContain('HEAD is detached');
    // A detached CI checkout: the branch is the one the job names, as cut finds it.
    const ciFeature = await run(r, ['plan'], { env: { ...noCi, GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'feature' } });
    expect(ciFeature.code).toBe(3);
    expect(ciFeature.stderr).toContain('branch feature is not a release branch');
    expect(ledgerRefs(r)).toBe('');
    const ciMain = await run(r, ['plan', '--json'], { env: { ...noCi, GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'main' } });
    expect(ciMain.code, ciMain.stderr).toBe(0);
    expect(JSON.parse(ciMain.stdout)).toMatchObject({ planned: true, branch: 'main' });
  });

  it('refuses a version whose tag is already on the remote; the hint gets past it', async () => {
    const r = project();
    execFileSync('git', ['push', '-q', 'origin', 'HEAD:refs/tags/v1.0.1'], { cwd: r.dir, env: r.env });
    const refused = await run(r, ['plan']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('tag v1.0.1 already exists on origin: another release took the version');
    expect(refused.stderr).toContain('hint: git pull --rebase --tags origin main, then relmgr plan');
    expect(ledgerRefs(r)).toBe('');
    r.git('pull', '-q', '--rebase', '--tags', 'origin', 'main');
    const after = await run(r, ['plan']);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain('nothing to release');
  });

  it('reports every version-file problem and every other problem at once, at plan and at cut --dry-run', async () => {
    const config = [
      'schema: relmgr/v1',
      'versioning:',
      '  branches: [main]',
      '  files:',
      '    - VERSION',
      '    - { path: package.json, json: $.nope }',
      '    - { path: setup.cfg, regex: "version = (.*)" }',
      '',
    ].join('\n');
    const r = project(config);
    writeFileSync(join(r.dir, 'setup.cfg'), '[metadata]\nname = demo\n');
    r.git('add', 'setup.cfg');
    r.git('commit', '-q', '-m', 'chore: setup.cfg');
    r.git('checkout', '-q', '-b', 'topic');
    const refused = await run(r, ['plan'], { env: noCi });
    expect(refused.code).toBe(3);
    const details = refused.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(details).toEqual([
      '  branch topic is not a release branch (versioning.branches: main)',
      '  versioning.files names VERSION, which is not in the repository at the planned commit',
      expect.stringMatching(/^ {2}package\.json: /),
      expect.stringMatching(/^ {2}setup\.cfg: /),
    ]);
    expect(ledgerRefs(r)).toBe('');
    // cut --dry-run on a release planned before the locators broke: all of them at once too.
    r.git('checkout', '-q', 'main');
    writeFileSync(join(r.dir, 'release.config.yaml'), 'schema: relmgr/v1\nversioning: { branches: [main] }\n');
    expect((await run(r, ['plan'])).code).toBe(0);
    writeFileSync(join(r.dir, 'release.config.yaml'), config);
    const dry = await run(r, ['cut', '--dry-run']);
    expect(dry.code).toBe(3);
    expect(dry.stderr).toContain('the version files cannot be updated (versioning.files):');
    expect(dry.stderr.split('\n').filter((l) => l.startsWith('  '))).toHaveLength(3);
    expect(readFileSync(join(r.dir, 'package.json'), 'utf8')).toContain('"version": "1.0.0"');
  });

  it('tells about an open failed release instead of planning over it: text, --json, GITHUB_OUTPUT and --dotenv', async () => {
    const r = project('schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  build:\n    steps: [ { name: compile, run: "test -f .marker-ok" } ]\n');
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut'])).code).toBe(20);
    const text = await run(r, ['plan']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('Not planned: release 1.0.1 is open, and its build phase failed.\nNext: relmgr resume\n');
    expect(JSON.parse((await run(r, ['plan', '--json'])).stdout)).toEqual({ planned: false, open: { version: '1.0.1', tag: 'v1.0.1', state: 'failed', phase: 'build' }, next: 'relmgr resume' });
    const output = join(r.home, 'out');
    const dotenv = join(r.home, 'plan.env');
    expect((await run(r, ['plan', '--dotenv', dotenv], { env: { GITHUB_OUTPUT: output } })).code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('version=1.0.1\ntag=v1.0.1\nstate=failed\nenvironment=\nreleased=false\nphase=build\nnext=resume\n');
    expect(readFileSync(dotenv, 'utf8')).toBe('RELMGR_VERSION=1.0.1\nRELMGR_TAG=v1.0.1\nRELMGR_STATE=failed\nRELMGR_ENVIRONMENT=\nRELMGR_RELEASED=false\nRELMGR_PHASE=build\nRELMGR_NEXT=resume\n');
    // A fix committed since: resume cannot continue here, a new plan supersedes it.
    r.commit('fix: the build', { file: '.marker-ok' });
    const moved = await run(r, ['plan', '--json'], { env: { GITHUB_OUTPUT: output } });
    expect(JSON.parse(moved.stdout)).toMatchObject({ planned: false, next: 'relmgr plan --replace --reason "…"' });
    expect(readFileSync(output, 'utf8')).toMatch(/next=replace\n$/);
    expect((await run(r, ['ledger', 'log'])).stdout).not.toContain('1.0.2');
  });
});

describe('plan shows why', () => {
  it('shows a breaking change in a non-conventional message as it was written', async () => {
    const r = project();
    r.commit('update stuff\n\nBREAKING CHANGE: the API changed');
    const out = await run(r, ['plan', '--dry-run'], { env: noCi });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/ [0-9a-f]{7} update stuff \(BREAKING CHANGE footer\)\n/);
    expect(out.stdout).not.toContain('null');
  });
});

describe('plan --dry-run checks what plan would', () => {
  const anonymous = { GIT_COMMITTER_NAME: '', GIT_COMMITTER_EMAIL: '', GIT_AUTHOR_NAME: '', GIT_AUTHOR_EMAIL: '', EMAIL: '' };

  it('refuses without a git identity, as plan does (E_NO_IDENTITY), and records nothing', async () => {
    const r = project();
    r.git('config', '--unset', 'user.name');
    r.git('config', '--unset', 'user.email');
    r.git('config', 'user.useConfigOnly', 'true');
    for (const args of [['plan'], ['plan', '--dry-run'], ['plan', '--dry-run', '--json']]) {
      const refused = await run(r, args, { env: anonymous });
      expect(refused.code, `${args.join(' ')}: ${refused.stdout}${refused.stderr}`).toBe(3);
      expect(`${refused.stdout}${refused.stderr}`).toContain('E_NO_IDENTITY');
      expect(refused.stdout).not.toContain('unknown');
    }
    expect(ledgerRefs(r)).toBe('');
    // With an identity, the dry run names who would plan it.
    r.git('config', 'user.name', 'Alice');
    r.git('config', 'user.email', 'alice@example.com');
    expect((await run(r, ['plan', '--dry-run'])).stdout).toContain('initiator Test Author <author@example.com>');
  });

  it('asks the emergency track for --reason unless the config says otherwise, in the dry run and the real one alike', async () => {
    const r = project();
    for (const args of [['plan', '--track', 'emergency'], ['plan', '--track', 'emergency', '--dry-run']]) {
      const refused = await run(r, args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/error\[E_TRACK\]: the emergency track requires --reason "<why>"\nhint: relmgr plan --track emergency --reason "…"/);
    }
    expect(ledgerRefs(r)).toBe('');
    // The hint keeps what was given: an incident that does not match is asked for again, the reason and --replace kept.
    const strict = project('schema: relmgr/v1\ntracks: { emergency: { require: { incident: "^INC-[0-9]+$" } } }\n');
    const replace = await run(strict, ['plan', '--track', 'emergency', '--incident', 'oops', '--reason', 'db down', '--replace']);
    expect(replace.code).toBe(2);
    expect(replace.stderr).toContain('hint: relmgr plan --track emergency --incident <id> --reason "db down" --replace\n');
    const dry = JSON.parse((await run(r, ['plan', '--track', 'emergency', '--reason', 'prod is down', '--dry-run', '--json'])).stdout);
    expect(dry).toMatchObject({ planned: false, track: 'emergency', reason: 'prod is down' });
    const real = JSON.parse((await run(r, ['plan', '--track', 'emergency', '--reason', 'prod is down', '--json'])).stdout);
    expect(real).toMatchObject({ planned: true, track: 'emergency', reason: 'prod is down' });
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ track: 'emergency' });
  });

  it('plans an emergency without a reason when the config turns the requirement off', async () => {
    const r = project('schema: relmgr/v1\ntracks: { emergency: { require: { reason: false } } }\n');
    expect(JSON.parse((await run(r, ['plan', '--track', 'emergency', '--dry-run', '--json'])).stdout)).toMatchObject({ planned: false, track: 'emergency' });
    const real = await run(r, ['plan', '--track', 'emergency', '--json']);
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ planned: true, track: 'emergency' });
  });
});
