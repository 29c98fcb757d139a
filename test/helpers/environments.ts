import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { run, type TestRepo } from './repo.js';

export const log = (env: string, what: string) => JSON.stringify(`echo "${what} ${env} $RELMGR_VERSION prev=$RELMGR_PREVIOUS_VERSION" >> "$HOME/deploys.log"`);
/** Staging, then production (which fails while $HOME/fail-production exists, and rolls back on failure). */
export const ENVIRONMENTS = [
  'schema: relmgr/v1',
  'versioning: { branches: [main] }',
  'phases:',
  '  build: { steps: [ { name: compile, run: "true" } ] }',
  '  test: { steps: [ { name: unit, run: "true" } ] }',
  '  deploy: { order: [staging, production] }',
  'environments:',
  '  staging:',
  `    deploy: [ { name: ship, run: ${log('staging', 'deploy')} } ]`,
  `    rollback: [ { name: restore, run: ${log('staging', 'rollback')} } ]`,
  '  production:',
  '    tier: production',
  '    on_failure: rollback',
  `    deploy: [ { name: ship, run: ${JSON.stringify('test ! -f "$HOME/fail-production" && ' + JSON.parse(log('production', 'deploy')))} } ]`,
  `    rollback: [ { name: restore, run: ${JSON.stringify(JSON.parse(log('production', 'rollback')) + ' && test ! -f "$HOME/fail-rollback"')} } ]`,
  '',
].join('\n');

export const deploys = (r: TestRepo): string[] => {
  try {
    return readFileSync(join(r.home, 'deploys.log'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
};

/** Plans, cuts and tests the next release (a fix committed first when `fix` is given). */
export async function tested(r: TestRepo, fix?: string): Promise<void> {
  if (fix) r.commit(`fix: ${fix}`, { file: `${fix}.txt` });
  for (const command of ['plan', 'cut', 'test']) {
    const result = await run(r, [command]);
    expect(result.code, `${command}: ${result.stderr}${result.stdout}`).toBe(0);
  }
}


/** Deploys the open release to each environment in turn, every deploy succeeding. */
export async function deployed(r: TestRepo, envs: readonly string[] = ['staging', 'production']): Promise<void> {
  for (const env of envs) expect((await run(r, ['deploy', env])).code).toBe(0);
}

/** 1.0.1 in staging and production, then 1.0.2 (fix "two") tested and in staging: a release on its way to production. */
export async function nextInStaging(r: TestRepo): Promise<void> {
  await tested(r);
  await deployed(r);
  await tested(r, 'two');
  await deployed(r, ['staging']);
}
