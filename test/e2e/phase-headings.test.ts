import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { deploys, ENVIRONMENTS, tested } from '../helpers/environments.js';
import { run, useProjects } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);
const stamp = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  ';

describe('a heading for each phase command, as deploy, monitor and release print', () => {
  it('test and rollback start with `▸ test (1.0.1)` and `▸ rollback staging (1.0.2)`, timestamped in CI', async () => {
    const r = project(ENVIRONMENTS);
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut'])).code).toBe(0);
    const test = await run(r, ['test'], { env: { CI: 'true' } });
    expect(test.code, test.stderr).toBe(0);
    expect(test.stderr).toMatch(new RegExp(`^${stamp}▸ test \\(1\\.0\\.1\\)$`, 'm'));
    for (const env of ['staging', 'production']) expect((await run(r, ['deploy', env])).code).toBe(0);
    await tested(r, 'two');
    expect((await run(r, ['deploy', 'staging'])).code).toBe(0);
    const back = await run(r, ['rollback', 'staging', '--reason', 'errors'], { env: { CI: 'true' } });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toMatch(new RegExp(`^${stamp}▸ rollback staging \\(1\\.0\\.2\\)$`, 'm'));
    expect(deploys(r).at(-1)).toBe('rollback staging 1.0.2 prev=1.0.1');
  });
});
