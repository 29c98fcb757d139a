import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);

const CONFIG = `schema: relmgr/v1
versioning: { branches: [main] }
phases:
  build: { steps: [ { name: compile, run: "true" } ] }
  deploy: { order: [staging, production] }
environments:
  staging: { deploy: [ { name: ship, run: "true" } ], rollback: [ { name: restore, run: "true" } ] }
  production: { tier: production, deploy: [ { name: ship, run: "true" } ] }
`;

async function ok(r: TestRepo, args: string[]): Promise<string> {
  const out = await run(r, args);
  expect(out.code, `${args.join(' ')}\n${out.stdout}\n${out.stderr}`).toBe(0);
  return out.stdout;
}
const events = async (r: TestRepo): Promise<number> => (JSON.parse(await ok(r, ['ledger', 'log', '--json'])) as unknown[]).length;

/**
 * Production ran 1.2.0; 1.4.0 was cut and deployed to staging; then a fix landed on main and hotfix
 * 1.2.1 (that fix picked onto 1.2.0) went to staging and production, and was closed: 1.4.0 is open again.
 */
async function hotfixOverStaging(backInStaging = false): Promise<{ r: TestRepo; fix: string }> {
  const r = project(CONFIG);
  await ok(r, ['plan', '--release-as', '1.2.0']);
  for (const step of [['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]) await ok(r, step);
  r.commit('feat: a big feature', { file: 'a.txt', content: 'rewritten for 1.4\n' });
  await ok(r, ['plan', '--release-as', '1.4.0', '--replace', '--reason', 'next']);
  for (const step of [['cut'], ['test'], ['deploy', 'staging']]) await ok(r, step);
  const fix = r.commit('fix(basket): the checkout crash', { file: 'fix.txt', content: 'fixed\n' });
  await ok(r, ['plan', '--track', 'emergency', '--reason', 'checkout down', '--pick', fix]);
  for (const step of [['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]) await ok(r, step);
  // Staging may go back to 1.4.0 (the hotfix rolled back there), production keeps the hotfix.
  if (backInStaging) await ok(r, ['rollback', 'staging', '--to', '1.4.0', '--reason', 'staging tests 1.4.0']);
  await ok(r, ['close', '--note', 'fixed']);
  r.git('checkout', '-q', 'main');
  return { r, fix: r.git('rev-parse', '--short=7', fix) };
}

describe('environments run the release now: promotion and hotfixes', () => {
  it('promotes only from environments that run the release now, and never undoes a hotfix; a release that carries the fix goes out', async () => {
    const { r, fix } = await hotfixOverStaging();
    expect(JSON.parse(await ok(r, ['status', '--json']))).toMatchObject({ version: '1.4.0', state: 'deploying' });
    const before = await events(r);
    // 1.4.0 was deployed to staging before, but staging runs the hotfix now.
    const order = await run(r, ['deploy', 'production']);
    expect(order.code, order.stderr).toBe(3);
    expect(order.stderr).toContain('error[E_ORDER]: production comes after staging in phases.deploy.order, and staging runs 1.2.1 now, not 1.4.0: a release is promoted from environments that run it');
    expect(order.stderr).toContain('hint: relmgr deploy staging --redeploy');
    // The command it names refuses too: staging runs a hotfix whose fix 1.4.0 lacks.
    const undo = await run(r, ['deploy', 'staging', '--redeploy']);
    expect(undo.code, undo.stderr).toBe(3);
    expect(undo.stderr).toContain(`error[E_HOTFIX_MISSING]: staging runs hotfix 1.2.1, which carries ${fix} (fix(basket): the checkout crash); 1.4.0 does not contain it: deploying it would undo the fix (nothing was recorded)`);
    expect(undo.stderr).toContain('hint: commit or merge the fix on main, then plan the release again: relmgr plan --replace --reason "…"');
    // relmgr release walks through staging again, and is refused there alike.
    const walked = await run(r, ['release']);
    expect(walked.code).toBe(3);
    expect(walked.stderr).toContain('error[E_HOTFIX_MISSING]');
    expect(await events(r)).toBe(before);
    // The fix is on main: a new plan carries it, and goes to staging and production.
    await ok(r, ['plan', '--replace', '--reason', 'carry the checkout fix']);
    const next = JSON.parse(await ok(r, ['status', '--json'])) as { version: string };
    expect(next.version).not.toBe('1.4.0');
    for (const step of [['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]) await ok(r, step);
    const status = JSON.parse(await ok(r, ['status', '--json'])) as { environments: { version: string }[] };
    expect(status.environments.map((e) => e.version)).toEqual([next.version, next.version]);
  });

  it('refuses a release over a hotfix in production, though staging runs the release', async () => {
    const { r, fix } = await hotfixOverStaging(true);
    const status = JSON.parse(await ok(r, ['status', '--json'])) as { version: string; environments: { version: string }[] };
    expect(status.version).toBe('1.4.0');
    expect(status.environments.map((e) => e.version)).toEqual(['1.4.0', '1.2.1']);
    const before = await events(r);
    for (const args of [['deploy', 'production'], ['deploy', 'production', '--dry-run']]) {
      const refused = await run(r, args);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stderr).toContain(`error[E_HOTFIX_MISSING]: production runs hotfix 1.2.1, which carries ${fix} (fix(basket): the checkout crash); 1.4.0 does not contain it`);
    }
    expect(await events(r)).toBe(before);
  });
});
