import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { otherClone } from '../helpers/hints.js';
import { makeProject, run, useRepos } from '../helpers/repo.js';
import { ciRunner, type JobRun, type WorkflowRun } from '../helpers/workflow.js';
import { recipeConfig, SIGNOFF } from '../helpers/ci-tools.js';

/*
 * Runs examples/github-actions-deploy.yml (gate, then one deploy job per environment: staging, then
 * production) the way GitHub Actions would (test/helpers/workflow.ts), against a scratch project
 * with a bare remote. Production waits for an approval recorded from another clone.
 */
const RECIPE = resolve(import.meta.dirname, '../../examples/github-actions-deploy.yml');

const CONFIG = recipeConfig('echo $RELMGR_VERSION $RELMGR_ENV >> $HOME/deployed', SIGNOFF);

const repo = useRepos(afterEach);
const job = (name: string) => (run: WorkflowRun): JobRun => run.jobs[name] as JobRun;
const [gate, staging, production] = [job('gate'), job('staging'), job('production')];

describe('examples/github-actions-deploy.yml', () => {
  it('a push deploys to staging; production waits for its approval (green, a notice) and goes once approved', async () => {
    const r = makeProject(repo, CONFIG);
    const ci = ciRunner(r, RECIPE);
    const deployed = () => readFileSync(join(r.home, 'deployed'), 'utf8');

    const first = ci({ name: 'push' });
    expect(first.failed, first.log).toBe(false);
    expect(gate(first).outputs).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'tested' });
    expect(staging(first).steps.deploy).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'deploying', environment: 'staging', released: 'true' });
    // Held at the approval: exit 10, the step green, its outputs say so.
    expect(production(first).result, first.log).toBe('success');
    expect(production(first).steps.deploy).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'pending', environment: 'production', released: 'false', exit: '10' });
    expect(first.annotations).toContainEqual({ level: 'notice', title: 'production', message: '1.0.1 waits at a gate before production; relmgr status says for what' });
    expect(deployed()).toBe('1.0.1 staging\n');

    // Bob approves on his laptop (the ledger is pushed); the next run deploys to production only.
    const bob = otherClone(r);
    const approved = await run(bob, ['approve', '--gate', 'signoff'], { env: { GIT_COMMITTER_NAME: 'Bob', GIT_COMMITTER_EMAIL: 'bob@example.com' } });
    expect(approved.code, approved.stderr).toBe(0);
    const second = ci({ name: 'push', ref: 'refs/heads/relmgr/ledger' });
    expect(second.failed, second.log).toBe(false);
    expect(gate(second).ran).toEqual(['npm ci', expect.stringContaining('git config'), 'open']);
    expect(gate(second).outputs).toMatchObject({ version: '1.0.1', state: 'deploying' });
    expect(staging(second).result).toBe('skipped');
    expect(production(second).steps.deploy).toEqual({ version: '1.0.1', tag: 'v1.0.1', state: 'deployed', environment: 'production', released: 'true' });
    expect(deployed()).toBe('1.0.1 staging\n1.0.1 production\n');

    // The push of the release commit, later: deployed everywhere, nothing new to release.
    const third = ci({ name: 'push' });
    expect(third.failed, third.log).toBe(false);
    expect(gate(third).steps.plan).toMatchObject({ state: 'none', released: 'false' });
    expect(staging(third).result).toBe('skipped');
    expect(production(third).result).toBe('skipped');
  });

  it('after a rollback in production, the push of the fix plans, tests and deploys a new release', async () => {
    const config = CONFIG.replace(/ {4}entry:\n {6}- approval: .*\n/, '').replace(/(production:\n[\s\S]*deploy: .*\n)/, '$1    rollback: [ { name: back, run: "echo back $RELMGR_PREVIOUS_VERSION >> $HOME/deployed" } ]\n');
    expect(config).toContain('rollback: [');
    expect(config).not.toContain('approval');
    const r = makeProject(repo, config);
    const ci = ciRunner(r, RECIPE);
    const push = (message: string): void => {
      r.git('pull', '-q', '--rebase', 'origin', 'main');
      r.commit(message, { file: 'a.txt', content: `${message}\n` });
      r.git('push', '-q', 'origin', 'main');
    };
    for (const version of ['1.0.1', '1.0.2']) {
      if (version === '1.0.2') push('fix: two');
      const deployed = ci({ name: 'push' });
      expect(deployed.failed, deployed.log).toBe(false);
      expect(production(deployed).steps.deploy, deployed.log).toMatchObject({ version, state: 'deployed' });
    }
    // 1.0.2 misbehaves in production: rolled back by hand to 1.0.1.
    const back = await run(r, ['rollback', 'production', '--reason', 'errors']);
    expect(back.code, back.stderr).toBe(0);
    push('fix: the errors');
    const fixed = ci({ name: 'push' });
    expect(fixed.failed, fixed.log).toBe(false);
    expect(gate(fixed).steps.open).toMatchObject({ version: '1.0.2', state: 'rolled_back' });
    expect(gate(fixed).steps.plan).toMatchObject({ version: '1.0.3', state: 'planned' });
    expect(staging(fixed).steps.deploy).toMatchObject({ version: '1.0.3', state: 'deploying' });
    expect(production(fixed).steps.deploy).toMatchObject({ version: '1.0.3', state: 'deployed', released: 'true' });
    expect(readFileSync(join(r.home, 'deployed'), 'utf8').trim().split('\n').slice(-3)).toEqual(['back 1.0.1', '1.0.3 staging', '1.0.3 production']);
  });
});
