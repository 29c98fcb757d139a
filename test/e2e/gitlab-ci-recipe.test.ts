import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dotenv, relmgrOnPath } from '../helpers/ci-tools.js';
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

const CONFIG = `schema: relmgr/v1
versioning: { branches: [main] }
phases:
  build:
    steps: [ { name: compile, run: "true" } ]
  test:
    steps: [ { name: unit, run: "true" } ]
  deploy:
    order: [staging, production]
environments:
  staging:
    deploy: [ { name: ship, run: "echo shipped $RELMGR_VERSION to $RELMGR_ENV >> $HOME/deployed.log" } ]
  production:
    tier: production
    deploy: [ { name: ship, run: "echo shipped $RELMGR_VERSION to $RELMGR_ENV >> $HOME/deployed.log" } ]
`;

describe.skipIf(skip !== null)('examples/gitlab-ci.yml under gitlab-ci-local', () => {
  it('plans, cuts, tests and deploys to staging, then production by hand, passing RELMGR_* between jobs', () => {
    const r = project(CONFIG);
    copyFileSync(RECIPE, join(r.dir, '.gitlab-ci.yml'));
    r.git('add', '.gitlab-ci.yml');
    r.git('commit', '-q', '-m', 'ci: release with relmgr');
    r.git('push', '-q', 'origin', 'main');
    const result = spawnSync(process.execPath, [GCL, '--force-shell-executor', '--manual', 'deploy-production', '--no-color'], {
      cwd: r.dir,
      env: { ...r.env, PATH: relmgrOnPath(r), GCL_NEEDS: 'false' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    const log = `${result.stdout}${result.stderr}`;
    expect(result.status, log).toBe(0);
    for (const job of ['plan', 'cut', 'test', 'deploy-staging', 'deploy-production']) expect(log).toMatch(new RegExp(`PASS\\s+${job}\\b`));
    // Each job wrote its outputs; the later ones saw the earlier ones' RELMGR_VERSION and RELMGR_TAG.
    expect(dotenv(readFileSync(join(r.dir, 'plan.env'), 'utf8'))).toEqual({ RELMGR_VERSION: '1.0.1', RELMGR_TAG: 'v1.0.1', RELMGR_STATE: 'planned', RELMGR_ENVIRONMENT: '', RELMGR_RELEASED: 'true' });
    expect(dotenv(readFileSync(join(r.dir, 'staging.env'), 'utf8'))).toMatchObject({ RELMGR_VERSION: '1.0.1', RELMGR_ENVIRONMENT: 'staging', RELMGR_RELEASED: 'true' });
    expect(dotenv(readFileSync(join(r.dir, 'production.env'), 'utf8'))).toMatchObject({ RELMGR_VERSION: '1.0.1', RELMGR_STATE: 'deployed', RELMGR_ENVIRONMENT: 'production' });
    expect(log).toMatch(/deploy-production\s+> deploying 1\.0\.1 \(v1\.0\.1\), on staging since the job before, to production\n/);
    expect(log).toMatch(/deploy-production\s+\$ git fetch -q --tags origin && git checkout -q "\$RELMGR_TAG"/);
    expect(readFileSync(join(r.home, 'deployed.log'), 'utf8')).toBe('shipped 1.0.1 to staging\nshipped 1.0.1 to production\n');
    const status = JSON.parse(spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/relmgr.js'), 'status', '--json'], { cwd: r.dir, env: r.env, encoding: 'utf8' }).stdout) as { state: string };
    expect(status.state).toBe('deployed');
  });
});
