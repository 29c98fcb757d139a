import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';
import { deployed, deploys, ENVIRONMENTS, nextInStaging, tested } from '../helpers/environments.js';

const project = useProjects(afterEach, afterAll);

const events = async (r: TestRepo): Promise<string[]> => (JSON.parse((await run(r, ['ledger', 'log', '--json'])).stdout) as { type: string }[]).map((e) => e.type);

/** 1.0.1 in staging and production, then 1.0.2 in both. */
async function twoReleases(r: TestRepo): Promise<void> {
  await tested(r);
  await deployed(r);
  await tested(r, 'two');
  await deployed(r);
}

describe('relmgr rollback', () => {
  it('puts back the version the environment ran before, recorded with its reason; the release is rolled back', async () => {
    const r = project(ENVIRONMENTS);
    await twoReleases(r);
    const rolled = await run(r, ['rollback', 'production', '--reason', 'checkout errors']);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain('Rolled 1.0.2 back in production');
    expect(deploys(r).at(-1)).toBe('rollback production 1.0.2 prev=1.0.1');
    const log = JSON.parse((await run(r, ['ledger', 'log', '--json'])).stdout) as { type: string; data: Record<string, unknown> }[];
    expect(log.find((e) => e.type === 'phase.started' && e.data.reason !== undefined)?.data).toMatchObject({ reason: 'checkout errors', from: '1.0.2', to: '1.0.1' });
    expect(log.find((e) => e.type === 'rollback.succeeded')?.data).toMatchObject({ env: 'production', from: '1.0.2', to: '1.0.1' });
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ version: '1.0.2', state: 'rolled_back' });
    expect(status.next).toContain('relmgr plan');
    expect(status.environments[1]).toMatchObject({ name: 'production', state: 'rolled_back', version: '1.0.1', rollback: { state: 'succeeded', to: '1.0.1', reason: 'checkout errors' } });
    expect((await run(r, ['status'])).stdout).toMatch(/\n {2}production {2}\[production\] runs 1\.0\.1 since .* UTC \(by Test Author\); 1\.0\.2 rolled back by Test Author at .* UTC\n {14}rollback succeeded to 1\.0\.1 by Test Author at .* UTC: checkout errors\n/);
  });

  it('--to names a version that ran there; another is refused with the list, nothing recorded', async () => {
    const r = project(ENVIRONMENTS);
    await twoReleases(r);
    const before = await events(r);
    const bad = await run(r, ['rollback', 'staging', '--to', '0.9.0', '--reason', 'x']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('error[E_NO_ROLLBACK]: 0.9.0 never succeeded in staging');
    expect(bad.stderr).toContain('versions that succeeded in staging: 1.0.1');
    expect(bad.stderr).toContain('hint: relmgr rollback staging --to 1.0.1 --reason "…"');
    expect(await events(r)).toEqual(before);
    const good = await run(r, ['rollback', 'staging', '--to', '1.0.1', '--reason', 'x']);
    expect(good.code, good.stderr).toBe(0);
    expect(deploys(r).at(-1)).toBe('rollback staging 1.0.2 prev=1.0.1');
  });

  it('refuses with no earlier good release there, and without --reason: nothing recorded', async () => {
    const r = project(ENVIRONMENTS);
    await tested(r);
    expect((await run(r, ['deploy', 'staging'])).code).toBe(0);
    const before = await events(r);
    const none = await run(r, ['rollback', 'staging', '--reason', 'x']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('error[E_NO_ROLLBACK]: staging ran no release before 1.0.1: there is nothing to roll back to (nothing was recorded)');
    expect(none.stderr).toContain('hint: fix forward with a new release');
    const reasonless = await run(r, ['rollback', 'staging']);
    expect(reasonless.code).toBe(2);
    expect(reasonless.stderr).toContain('error[E_REASON_REQUIRED]');
    expect(reasonless.stderr).toContain('hint: relmgr rollback staging --reason "…"');
    const unknown = await run(r, ['rollback', 'qa', '--reason', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error[E_UNKNOWN_ENV]');
    expect(await events(r)).toEqual(before);
  });

  it('a rolled-back environment takes the release again only with --redeploy', async () => {
    const r = project(ENVIRONMENTS);
    await twoReleases(r);
    expect((await run(r, ['rollback', 'production', '--reason', 'x'])).code).toBe(0);
    const again = await run(r, ['deploy', 'production']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('hint: deploy it again with: relmgr deploy production --redeploy');
    const redeployed = await run(r, ['deploy', 'production', '--redeploy']);
    expect(redeployed.code, redeployed.stderr).toBe(0);
    expect(deploys(r).at(-1)).toBe('deploy production 1.0.2 prev=1.0.1');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ state: 'deployed' });
  });

  it('refuses a release that does not run there: nothing recorded, no rollback step runs, the release is not rolled back', async () => {
    const r = project(ENVIRONMENTS);
    await nextInStaging(r);
    const before = await events(r);
    const ran = deploys(r);
    // 1.0.2 only reached staging: production runs 1.0.1.
    const refused = await run(r, ['rollback', 'production', '--reason', 'x']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(/error\[E_NO_ROLLBACK\]: 1\.0\.2 does not run in production \(it runs 1\.0\.1 since .* UTC\): there is nothing of it to roll back \(nothing was recorded\)/);
    expect(refused.stderr).toContain('hint: see what runs where with: relmgr status');
    expect(await events(r)).toEqual(before);
    expect(deploys(r)).toEqual(ran);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ version: '1.0.2', state: 'deploying' });
    // Rolled back once, it does not run there any more: a second rollback is refused too.
    expect((await run(r, ['rollback', 'staging', '--reason', 'x'])).code).toBe(0);
    const again = await run(r, ['rollback', 'staging', '--reason', 'x']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/error\[E_NO_ROLLBACK\]: 1\.0\.2 does not run in staging \(it runs 1\.0\.1 since .* UTC\)/);
  });

  it('--dry-run predicts the real rollback, the version it goes back to included', async () => {
    const r = project(ENVIRONMENTS);
    await twoReleases(r);
    const before = await events(r);
    const dry = await run(r, ['rollback', 'production', '--reason', 'x', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('It would put back 1.0.1 in production (RELMGR_PREVIOUS_VERSION=1.0.1), rolling back 1.0.2.');
    expect(dry.stderr).not.toContain('E_NO_ROLLBACK');
    const to = await run(r, ['rollback', 'production', '--to', '1.0.1', '--reason', 'x', '--dry-run']);
    expect(to.code, to.stderr).toBe(0);
    const bad = await run(r, ['rollback', 'production', '--to', '0.9.0', '--reason', 'x', '--dry-run']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('versions that succeeded in production: 1.0.1');
    expect(await events(r)).toEqual(before);
    expect(deploys(r).at(-1)).toBe('deploy production 1.0.2 prev=1.0.1');
    const real = await run(r, ['rollback', 'production', '--reason', 'x']);
    expect(real.code, real.stderr).toBe(0);
    expect(deploys(r).at(-1)).toBe('rollback production 1.0.2 prev=1.0.1');
  });
});
