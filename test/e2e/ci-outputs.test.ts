import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { relmgr, run, useProjects, type TestRepo } from '../helpers/repo.js';
import { recipeConfig, SIGNOFF } from '../helpers/ci-tools.js';

const project = useProjects(afterEach, afterAll);

const CONFIG = recipeConfig('echo shipped $RELMGR_VERSION', SIGNOFF);

/** A fresh GITHUB_OUTPUT file for one command, and what it holds afterwards as key → value. */
function github(r: TestRepo, name: string): { env: Record<string, string>; read: () => Record<string, string> } {
  const file = join(r.home, `${name}.out`);
  const summary = join(r.home, `${name}.md`);
  writeFileSync(file, '');
  return {
    env: { GITHUB_OUTPUT: file, GITHUB_STEP_SUMMARY: summary },
    read: () => Object.fromEntries(readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])),
  };
}

const FIVE = ['version', 'tag', 'state', 'environment', 'released'];

describe('CI outputs of every release command', () => {
  it('plan, cut, test and deploy write the five keys; a gate-held deploy writes state=pending, released=false', async () => {
    const r = project(CONFIG);
    const steps: [string[], Record<string, string>][] = [
      [['plan'], { version: '1.0.1', tag: 'v1.0.1', state: 'planned', environment: '', released: 'true' }],
      [['cut'], { version: '1.0.1', tag: 'v1.0.1', state: 'cut', environment: '', released: 'true' }],
      [['test'], { version: '1.0.1', tag: 'v1.0.1', state: 'tested', environment: '', released: 'true' }],
      [['deploy', 'staging'], { version: '1.0.1', tag: 'v1.0.1', state: 'deploying', environment: 'staging', released: 'true' }],
    ];
    for (const [args, expected] of steps) {
      const out = github(r, args.join('-'));
      const result = await run(r, args, { env: out.env });
      expect(result.code, result.stderr).toBe(0);
      expect(out.read(), args.join(' ')).toEqual(expected);
      expect(Object.keys(out.read())).toEqual(FIVE);
      expect(readFileSync(out.env.GITHUB_STEP_SUMMARY ?? '', 'utf8')).toMatch(new RegExp(`^### relmgr ${args.join(' ')}: (planned )?1\\.0\\.1\n`));
    }
    const out = github(r, 'held');
    const dotenv = join(r.home, 'held.env');
    const held = await run(r, ['deploy', 'production', '--dotenv', dotenv], { env: out.env });
    expect(held.code, held.stderr).toBe(10);
    expect(out.read()).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'pending', environment: 'production', released: 'false', exit: '10' });
    expect(readFileSync(dotenv, 'utf8')).toBe('RELMGR_VERSION=1.0.1\nRELMGR_TAG=v1.0.1\nRELMGR_STATE=pending\nRELMGR_ENVIRONMENT=production\nRELMGR_RELEASED=false\nRELMGR_EXIT=10\n');
    expect(readFileSync(out.env.GITHUB_STEP_SUMMARY ?? '', 'utf8')).toContain('### relmgr deploy production: 1.0.1 held at a gate');
    // --json: one document on stdout, the error's, with the outputs written all the same.
    const json = github(r, 'held-json');
    const again = await run(r, ['deploy', 'production', '--json'], { env: json.env });
    expect(again.code).toBe(10);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'E_GATE_PENDING' } });
    expect(json.read()).toMatchObject({ state: 'pending', released: 'false' });
    // Approved: the deploy goes on, and says so.
    expect((await run(r, ['approve', '--gate', 'signoff'], { env: { GIT_COMMITTER_NAME: 'Bob', GIT_COMMITTER_EMAIL: 'bob@example.com' } })).code).toBe(0);
    const done = github(r, 'production');
    const deployed = await run(r, ['deploy', 'production', '--json'], { env: done.env });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(JSON.parse(deployed.stdout)).toMatchObject({ version: '1.0.1', phase: 'deploy', environment: 'production', state: 'deployed' });
    expect(done.read()).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'deployed', environment: 'production', released: 'true' });
  });

  it('plan with nothing to release still writes the five keys (state=none, released=false)', async () => {
    const r = project(CONFIG);
    r.git('tag', 'v1.0.1');
    const out = github(r, 'plan');
    expect((await run(r, ['plan'], { env: out.env })).code).toBe(0);
    expect(out.read()).toEqual({ version: '', tag: '', state: 'none', environment: '', released: 'false' });
  });

  it('a dry run of a phase command writes state=none, released=false: nothing was recorded', async () => {
    const r = project(CONFIG);
    expect((await run(r, ['plan'])).code).toBe(0);
    const cut = github(r, 'cut-dry');
    expect((await run(r, ['cut', '--dry-run'], { env: cut.env })).code).toBe(0);
    expect(cut.read()).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'none', environment: '', released: 'false' });
    for (const args of [['cut'], ['test'], ['deploy', 'staging']]) expect((await run(r, args)).code).toBe(0);
    const dotenv = join(r.home, 'd.env');
    const dry = await run(r, ['deploy', 'staging', '--redeploy', '--dry-run', '--json', '--dotenv', dotenv], { env: { TF_BUILD: 'True' } });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true });
    expect(dry.stderr).toContain('##vso[task.setvariable variable=state;isOutput=true]none\n');
    expect(dry.stderr).toContain('##vso[task.setvariable variable=released;isOutput=true]false\n');
    expect(readFileSync(dotenv, 'utf8')).toBe('RELMGR_VERSION=1.0.1\nRELMGR_TAG=v1.0.1\nRELMGR_STATE=none\nRELMGR_ENVIRONMENT=staging\nRELMGR_RELEASED=false\n');
  });

  it('under Azure Pipelines (TF_BUILD=True) the outputs are logging commands on stderr: stdout stays the data', () => {
    const r = project(CONFIG);
    const next = relmgr(r, ['next'], { env: { TF_BUILD: 'True' } });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toBe('1.0.1\n');
    expect(next.stderr).toContain('##vso[task.setvariable variable=version;isOutput=true]1.0.1\n');
    expect(next.stderr).toContain('##vso[task.setvariable variable=released;isOutput=true]true\n');
    const json = relmgr(r, ['next', '--json'], { env: { TF_BUILD: 'True' } });
    expect(JSON.parse(json.stdout)).toMatchObject({ next: '1.0.1' });
  });
});
