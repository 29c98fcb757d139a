import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run, useProjects } from '../helpers/repo.js';
import { deploys, ENVIRONMENTS, log, nextInStaging, tested } from '../helpers/environments.js';

const project = useProjects(afterEach, afterAll);

describe('relmgr deploy', () => {
  it("status's Next names the next environment's gates, and nothing about checks still to run", async () => {
    const config = ENVIRONMENTS.replace('    tier: production\n', '    tier: production\n    entry: [ { approval: { id: signoff, rules: [ { from: [dave@example.com] } ] } } ]\n    exit: [ { check: alive } ]\n').replace('phases:\n', 'checks: { alive: { run: "true" } }\nphases:\n  monitor: { exit: [ { check: alive } ] }\n');
    const r = project(config);
    await tested(r);
    r.git('checkout', '-q', 'v1.0.1');
    expect((await run(r, ['deploy', 'staging'])).code).toBe(0);
    const waiting = JSON.parse((await run(r, ['status', '--json'])).stdout) as { next: string };
    expect(waiting.next).toBe('relmgr approve --env production --gate signoff (by dave@example.com); then relmgr deploy production');
    // From a checkout that moved on (main, a commit later), the deploy starts with the release's checkout.
    r.git('checkout', '-q', 'main');
    r.commit('fix: later', { file: 'later.txt' });
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).next).toBe('relmgr approve --env production --gate signoff (by dave@example.com); then git checkout v1.0.1, then relmgr deploy production');
    const wrong = await run(r, ['deploy', 'production']);
    expect(wrong.stderr).toContain('the deploy production phase runs what was released');
    r.git('checkout', '-q', 'v1.0.1');
    expect((await run(r, ['approve', '--env', 'production', '--comment', 'ok'], { env: { GIT_COMMITTER_NAME: 'Dave', GIT_COMMITTER_EMAIL: 'dave@example.com' } })).code).toBe(0);
    expect((await run(r, ['deploy', 'production'])).code).toBe(0);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).next).toBe('relmgr monitor');
  });

  it('deploys in promotion order (exit 3 before staging), with the previous version there, and status shows who and when', async () => {
    const r = project(ENVIRONMENTS);
    await tested(r);
    // Tested, with environments ahead: not settled, so no new plan over it.
    r.commit('fix: meanwhile', { file: 'meanwhile.txt' });
    const over = await run(r, ['plan']);
    expect(over.code).toBe(3);
    expect(over.stderr).toContain('error[E_RELEASE_OPEN]');
    r.git('checkout', '-q', 'v1.0.1');
    const early = await run(r, ['deploy', 'production']);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('error[E_ORDER]: production comes after staging in phases.deploy.order, and 1.0.1 has not been deployed there yet');
    expect(early.stderr).toContain('hint: relmgr deploy staging');
    const staging = await run(r, ['deploy', 'staging']);
    expect(staging.code, staging.stderr).toBe(0);
    expect(staging.stdout).toBe('Deployed 1.0.1 to staging: 1 step passed\nNext: relmgr deploy production\n');
    // Deploying (staging only): still not settled.
    r.git('checkout', '-q', 'main');
    expect((await run(r, ['plan'])).stderr).toContain('error[E_RELEASE_OPEN]');
    r.git('checkout', '-q', 'v1.0.1');
    const again = await run(r, ['deploy', 'staging']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('hint: deploy it again with: relmgr deploy staging --redeploy');
    expect((await run(r, ['deploy', 'production'])).code).toBe(0);
    expect(deploys(r)).toEqual(['deploy staging 1.0.1 prev=', 'deploy production 1.0.1 prev=']);
    const status = await run(r, ['status']);
    expect(status.stdout).toMatch(/\nEnvironments:\n {2}staging {5}runs 1\.0\.1 since 2026-\d\d-\d\d \d\d:\d\d UTC \(by Test Author\); 1\.0\.1 deployed by Test Author at .* UTC\n {2}production {2}\[production\] runs 1\.0\.1 since .* UTC \(by Test Author\); 1\.0\.1 deployed by Test Author at .* UTC\n/);
    const json = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(json.state).toBe('deployed');
    expect(json.environments).toMatchObject([
      { name: 'staging', tier: null, production: false, state: 'succeeded', version: '1.0.1', deployedBy: { name: 'Test Author' }, running: null, rollback: null, gates: [] },
      { name: 'production', tier: 'production', production: true, state: 'succeeded', version: '1.0.1', deployedBy: { name: 'Test Author' } },
    ]);
    expect(json.environments[0].deployedAt).toMatch(/^2026-/);
    // The next release: RELMGR_PREVIOUS_VERSION is what the environment ran before it.
    r.git('checkout', '-q', 'main');
    await tested(r, 'two');
    expect((await run(r, ['deploy', 'staging'])).code).toBe(0);
    expect((await run(r, ['deploy', 'staging', '--redeploy'])).code).toBe(0);
    expect(deploys(r).slice(2)).toEqual(['deploy staging 1.0.2 prev=1.0.1', 'deploy staging 1.0.2 prev=1.0.1']);
  });

  it('--dry-run shows the steps and runs nothing', async () => {
    const r = project(ENVIRONMENTS);
    await tested(r);
    const dry = await run(r, ['deploy', 'staging', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Would deploy staging 1.0.1');
    expect(dry.stdout).toContain('would run echo "deploy staging');
    expect(deploys(r)).toEqual([]);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ state: 'tested' });
  });

  it('an unknown environment and an untested release are refused, nothing recorded', async () => {
    const r = project(ENVIRONMENTS);
    expect((await run(r, ['plan'])).code).toBe(0);
    const unknown = await run(r, ['deploy', 'qa']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error[E_UNKNOWN_ENV]');
    const untested = await run(r, ['deploy', 'staging']);
    expect(untested.code).toBe(3);
    expect(untested.stderr).toContain('hint: cut it first: relmgr cut');
  });
});

describe('a deploy at a gate', () => {
  const GATED = ENVIRONMENTS.replace('    on_failure: rollback\n', '    on_failure: rollback\n    entry:\n      - approval: { id: signoff, rules: [ { from: [bob@example.com], min: 1 } ] }\n');

  it('holds (exit 10), is never a failure (no rollback), and the dry run says the exit code it would give', async () => {
    const r = project(GATED);
    await tested(r);
    expect((await run(r, ['deploy', 'staging'])).code).toBe(0);
    const dry = await run(r, ['deploy', 'production', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(10);
    expect(dry.stderr).toContain('the real deploy production would stop at its gates');
    const held = await run(r, ['deploy', 'production']);
    expect(held.code, held.stderr).toBe(10);
    expect(held.stderr).toContain('error[E_GATE_PENDING]');
    expect(held.stderr).not.toContain('rolling');
    expect(deploys(r)).toEqual(['deploy staging 1.0.1 prev=']);
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(status.environments[1]).toMatchObject({ name: 'production', state: 'pending', version: null, gates: [{ kind: 'approval', id: 'signoff' }] });
  });
});

describe('a deploy that fails', () => {
  it('rolls production back to the previous good version (exit 21); the ledger records both; plan works after', async () => {
    const r = project(ENVIRONMENTS);
    await nextInStaging(r);
    writeFileSync(join(r.home, 'fail-production'), '');
    const outputs = join(r.home, 'github-output');
    const failed = await run(r, ['deploy', 'production', '--json'], { env: { GITHUB_OUTPUT: outputs } });
    expect(failed.code, failed.stderr).toBe(21);
    expect(JSON.parse(failed.stdout)).toMatchObject({ error: { code: 'E_ROLLED_BACK' } });
    // The CI job learns it too: rolled back, not released, and the exit code.
    expect(readFileSync(outputs, 'utf8')).toBe('version=1.0.2\ntag=v1.0.2\nstate=rolled_back\nenvironment=production\nreleased=false\nexit=21\n');
    expect(failed.stderr).toContain('rolling production back to 1.0.1 (on_failure: rollback)');
    expect(deploys(r).at(-1)).toBe('rollback production 1.0.2 prev=1.0.1');
    const events = JSON.parse((await run(r, ['ledger', 'log', '--json'])).stdout) as { type: string; data: Record<string, unknown> }[];
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['deploy.failed', 'rollback.succeeded']));
    expect(events.find((e) => e.type === 'rollback.succeeded')?.data).toMatchObject({ env: 'production', from: '1.0.2', to: '1.0.1', production: true });
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ version: '1.0.2', state: 'rolled_back' });
    // What status offers works: the next command is plan.
    expect(status.next).toContain('relmgr plan');
    const redeploy = await run(r, ['deploy', 'production']);
    expect(redeploy.stderr).toContain('hint: deploy it again with: relmgr deploy production --redeploy');
    r.commit('fix: three', { file: 'three.txt' });
    const next = await run(r, ['plan']);
    expect(next.code).toBe(0);
    // The rolled-back release is not closed: the plan goes on, and says how to record its end.
    expect(next.stderr).toContain('warning: 1.0.2 (rolled_back) is not closed: record how it went with relmgr close --release 1.0.2 --note "…"');
  });

  it('a resumed deploy that fails rolls back too', async () => {
    const r = project(ENVIRONMENTS);
    await nextInStaging(r);
    writeFileSync(join(r.home, 'fail-production'), '');
    // The first attempt ran with on_failure: fail (the config in the working tree said so then).
    const config = readFileSync(join(r.dir, 'release.config.yaml'), 'utf8');
    writeFileSync(join(r.dir, 'release.config.yaml'), config.replace('    on_failure: rollback\n', ''));
    expect((await run(r, ['deploy', 'production'])).code).toBe(20);
    writeFileSync(join(r.dir, 'release.config.yaml'), config);
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(21);
    expect(resumed.stderr).toContain('error[E_ROLLED_BACK]');
    expect(deploys(r).at(-1)).toBe('rollback production 1.0.2 prev=1.0.1');
  });

  it('exits 22 when the rollback fails too', async () => {
    const r = project(ENVIRONMENTS);
    await nextInStaging(r);
    writeFileSync(join(r.home, 'fail-production'), '');
    writeFileSync(join(r.home, 'fail-rollback'), '');
    const failed = await run(r, ['deploy', 'production']);
    expect(failed.code, failed.stderr).toBe(22);
    expect(failed.stderr).toContain('error[E_ROLLBACK_FAILED]');
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ state: 'failed' });
    // Production may run neither version: status says so, and names no version, until a rollback or deploy succeeds there.
    expect(status.environments[1]).toMatchObject({ name: 'production', version: null, inDoubt: true, candidates: ['1.0.2', '1.0.1'], rollback: { state: 'failed', to: '1.0.1' } });
    const text = (await run(r, ['status'])).stdout;
    expect(text).toMatch(/\n {2}production {2}\[production\] may run neither 1\.0\.2 nor 1\.0\.1: the rollback of 1\.0\.2 failed \(relmgr resume retries it\); 1\.0\.2 failed/);
    expect(text).not.toContain('runs 1.0.1');
    // What status offers continues the rollback, to the same version.
    expect(status.next).toContain('relmgr resume');
    rmSync(join(r.home, 'fail-rollback'));
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Rolled 1.0.2 back in production');
    expect(deploys(r).at(-1)).toBe('rollback production 1.0.2 prev=1.0.1');
    const after = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(after).toMatchObject({ state: 'rolled_back' });
    expect(after.environments[1]).toMatchObject({ name: 'production', version: '1.0.1', inDoubt: false, candidates: [] });
  });

  it('with on_failure: fail a failed production deploy leaves production in doubt: it may run either version', async () => {
    const r = project(ENVIRONMENTS.replace('    on_failure: rollback\n', ''));
    await nextInStaging(r);
    writeFileSync(join(r.home, 'fail-production'), '');
    expect((await run(r, ['deploy', 'production'])).code).toBe(20);
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(status.environments[1]).toMatchObject({ name: 'production', version: null, inDoubt: true, candidates: ['1.0.2', '1.0.1'] });
    expect((await run(r, ['status'])).stdout).toContain('production  [production] may run 1.0.2 or 1.0.1: the deploy of 1.0.2 failed (relmgr resume retries it);');
    // Its own rollback is allowed: the environment is in doubt about this release.
    const rolled = await run(r, ['rollback', 'production', '--reason', 'half deployed']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(deploys(r).at(-1)).toBe('rollback production 1.0.2 prev=1.0.1');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).environments[1]).toMatchObject({ version: '1.0.1', inDoubt: false });
  });

  it('on the first deploy there is nothing to roll back to: exit 20, no rollback step runs, and resume continues', async () => {
    const r = project(ENVIRONMENTS);
    await tested(r);
    expect((await run(r, ['deploy', 'staging'])).code).toBe(0);
    writeFileSync(join(r.home, 'fail-production'), '');
    const failed = await run(r, ['deploy', 'production']);
    expect(failed.code, failed.stderr).toBe(20);
    expect(failed.stderr).toContain('not rolled back: production ran no release before 1.0.1');
    expect(failed.stderr).toContain('relmgr resume');
    expect(deploys(r).filter((line) => line.startsWith('rollback'))).toEqual([]);
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ state: 'failed' });
    expect(status.next).toContain('relmgr resume');
    // plan names the failed deploy, and what continues it.
    r.commit('fix: meanwhile', { file: 'meanwhile.txt' });
    const plan = await run(r, ['plan', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ planned: false, open: { version: '1.0.1', state: 'failed', phase: 'deploy', environment: 'production' } });
    expect((await run(r, ['plan'])).stdout).toContain('Not planned: release 1.0.1 is open, and its deploy production phase failed.');
    r.git('checkout', '-q', 'v1.0.1');
    rmSync(join(r.home, 'fail-production'));
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Deployed 1.0.1 to production');
  });

  it('with on_failure: fail a failed staging step exits 20 and resume continues it', async () => {
    const r = project(ENVIRONMENTS.replace(`run: ${log('staging', 'deploy')}`, `run: ${JSON.stringify('test ! -f "$HOME/fail-staging" && ' + JSON.parse(log('staging', 'deploy')))}`));
    await tested(r);
    writeFileSync(join(r.home, 'fail-staging'), '');
    const failed = await run(r, ['deploy', 'staging']);
    expect(failed.code).toBe(20);
    expect(failed.stderr).toContain('error[E_STEP_FAILED]');
    const again = await run(r, ['deploy', 'staging']);
    expect(again.stderr).toContain('continue it with: relmgr resume');
    rmSync(join(r.home, 'fail-staging'));
    expect((await run(r, ['resume'])).code).toBe(0);
    expect(deploys(r)).toEqual(['deploy staging 1.0.1 prev=']);
  });
});
