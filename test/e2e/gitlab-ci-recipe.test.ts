import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dotenv, relmgrOnPath, recipeConfig } from '../helpers/ci-tools.js';
import { useProjects } from '../helpers/repo.js';

/*
 * examples/gitlab-ci.yml, run by gitlab-ci-local (shell executor, no Docker) in a scratch project
 * with a bare remote: plan → cut → test → deploy staging → deploy production (the manual job,
 * started as a person would), each job's RELMGR_* dotenv handed to the next.
 */
const RECIPE = resolve(import.meta.dirname, '../../examples/gitlab-ci.yml');
const GCL = resolve(import.meta.dirname, '../../node_modules/.bin/gitlab-ci-local');
const major = Number(process.versions.node.split('.')[0]);
const skip = major < 22 ? `gitlab-ci-local needs Node >= 22 (this is Node ${process.versions.node}); .ci/run runs this test on Node 22 and 24` : null;
if (skip) console.warn(`skipped: examples/gitlab-ci.yml under gitlab-ci-local — ${skip}`);

const project = useProjects(afterEach, afterAll);

/** The recipe as the project's .gitlab-ci.yml, pushed; then one pipeline, the manual production job started by hand. */
function pipeline(config: string) {
  const r = project(config);
  copyFileSync(RECIPE, join(r.dir, '.gitlab-ci.yml'));
  r.git('add', '.gitlab-ci.yml');
  r.git('commit', '-q', '-m', 'ci: release with relmgr');
  r.git('push', '-q', 'origin', 'main');
  const result = spawnSync(process.execPath, [GCL, '--force-shell-executor', '--manual', 'deploy-production', '--no-color'], {
    cwd: r.dir,
    env: { ...r.env, PATH: relmgrOnPath(r) },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { r, code: result.status, log: `${result.stdout}${result.stderr}`, env: (file: string) => dotenv(readFileSync(join(r.dir, file), 'utf8')) };
}

const CONFIG = recipeConfig('echo shipped $RELMGR_VERSION to $RELMGR_ENV >> $HOME/deployed.log');

describe.skipIf(skip !== null)('examples/gitlab-ci.yml under gitlab-ci-local', () => {
  it('plans, cuts, tests and deploys to staging, then production by hand, passing RELMGR_* between jobs', () => {
    const { r, code, log, env } = pipeline(CONFIG);
    expect(code, log).toBe(0);
    for (const job of ['plan', 'cut', 'test', 'deploy-staging', 'deploy-production']) expect(log).toMatch(new RegExp(`PASS\\s+${job}\\b`));
    // Each job wrote its outputs; the later ones saw the earlier ones' RELMGR_VERSION and RELMGR_TAG.
    expect(env('plan.env')).toEqual({ RELMGR_VERSION: '1.0.1', RELMGR_TAG: 'v1.0.1', RELMGR_STATE: 'planned', RELMGR_ENVIRONMENT: '', RELMGR_RELEASED: 'true' });
    expect(env('staging.env')).toMatchObject({ RELMGR_VERSION: '1.0.1', RELMGR_ENVIRONMENT: 'staging', RELMGR_RELEASED: 'true' });
    expect(env('production.env')).toMatchObject({ RELMGR_VERSION: '1.0.1', RELMGR_STATE: 'deployed', RELMGR_ENVIRONMENT: 'production' });
    expect(log).toMatch(/deploy-production\s+> deploying 1\.0\.1 \(v1\.0\.1\), on staging since the job before, to production\n/);
    expect(log).toMatch(/deploy-production\s+\$ git fetch -q --tags origin && git checkout -q "\$RELMGR_TAG"/);
    expect(readFileSync(join(r.home, 'deployed.log'), 'utf8')).toBe('shipped 1.0.1 to staging\nshipped 1.0.1 to production\n');
    const status = JSON.parse(spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/relmgr.js'), 'status', '--json'], { cwd: r.dir, env: r.env, encoding: 'utf8' }).stdout) as { state: string };
    expect(status.state).toBe('deployed');
  });

  it('a gate that waits holds the pipeline green: cut exits 10 (allowed), RELMGR_STATE=pending goes on, and nothing after it runs', () => {
    const gated = CONFIG.replace('phases:\n', 'phases:\n  plan:\n    exit:\n      - checklist: { id: readiness, who: [rm@example.com], items: [ { id: notes, text: "Notes reviewed" } ] }\n');
    const { r, code, log, env } = pipeline(gated);
    expect(code, log).toBe(0);
    expect(log).toMatch(/WARN\s+cut\b/);
    expect(env('cut.env')).toEqual({ RELMGR_VERSION: '1.0.1', RELMGR_TAG: 'v1.0.1', RELMGR_STATE: 'pending', RELMGR_ENVIRONMENT: '', RELMGR_RELEASED: 'false', RELMGR_EXIT: '10' });
    expect(log).toMatch(/test\s+> nothing to do: nothing cut \(RELMGR_STATE=pending\)/);
    expect(env('staging.env')).toEqual({ RELMGR_STATE: 'pending' });
    expect(existsSync(join(r.home, 'deployed.log'))).toBe(false);
  });

  it('production started by hand before its approval exits 10: a warning (allowed), RELMGR_STATE=pending, nothing deployed there', () => {
    const gated = CONFIG.replace('    tier: production\n', '    tier: production\n    entry:\n      - approval: { id: signoff, rules: [{ from: [bob@example.com] }] }\n');
    const { r, code, log, env } = pipeline(gated);
    expect(code, log).toBe(0);
    expect(log).toMatch(/WARN\s+deploy-production\b/);
    expect(env('production.env')).toEqual({ RELMGR_VERSION: '1.0.1', RELMGR_TAG: 'v1.0.1', RELMGR_STATE: 'pending', RELMGR_ENVIRONMENT: 'production', RELMGR_RELEASED: 'false', RELMGR_EXIT: '10' });
    expect(readFileSync(join(r.home, 'deployed.log'), 'utf8')).toBe('shipped 1.0.1 to staging\n');
  });
});
