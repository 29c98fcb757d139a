import { execFileSync, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { thisHost, type Host } from '../../src/adapters/lock.js';
import { until } from '../helpers/hanging.js';
import { BIN, makeProject, run, useRepos } from '../helpers/repo.js';

// This test process plays another machine: relmgr in it (in-process) is on the host `ci-7`,
// while the cut it looks at runs in a real relmgr process on this host.
const ci7: Host = { ...thisHost(), host: 'ci-7' };

const repo = useRepos(afterEach);

const WAITING_STEP = 'touch .marker-started; while [ ! -f .marker-go ]; do sleep 0.05; done';

/**
 * A project whose `cut` runs in a real relmgr process on this host, stopped in a step that waits for
 * `.marker-go`; and `onCi`, relmgr in-process on the host `ci-7`, in a second clone.
 */
async function cutRunningHere(steps = `[ { name: compile, run: ${JSON.stringify(WAITING_STEP)} } ]`) {
  const r = makeProject(repo, `schema: relmgr/v1\nphases:\n  build:\n    steps: ${steps}\n`);
  expect((await run(r, ['plan'])).code).toBe(0);
  const child = spawn(process.execPath, [BIN, 'cut'], { cwd: r.dir, env: r.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = once(child, 'close');
  await until(() => existsSync(join(r.dir, '.marker-started')));
  const other = join(r.home, 'other');
  execFileSync('git', ['clone', '-q', r.bare, other], { env: r.env });
  const onCi = (...args: string[]) => run(r, args, { cwd: other, env: { CI: 'true' }, context: { host: ci7 } });
  return { r, child, closed, other, onCi, stderr: () => stderr };
}

describe('a phase running on another host', () => {
  it('is not resumed from here without --takeover; --takeover is recorded, and resumes it', async () => {
    const { child, closed, other, onCi } = await cutRunningHere();
    const host = hostname();
    writeFileSync(join(other, '.marker-go'), '');

    const status = await onCi('status');
    expect(status.stdout).toMatch(new RegExp(`build    running on ${host} \\(pid ${child.pid}\\) since .* UTC, or stopped there without recording`));
    expect(status.stdout).toContain(`Next: wait for the build phase on ${host} to finish, then: relmgr status (if that run is gone for good: relmgr resume --takeover)`);

    const refused = await onCi('resume', '--rerun', '--json');
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout).error).toMatchObject({
      code: 'E_PHASE_RUNNING',
      hint: 'wait for it to finish (relmgr status shows where it stands); if that run is gone for good, take it over with: relmgr resume --takeover',
    });
    expect(existsSync(join(other, '.marker-started'))).toBe(false);

    // The run is gone for good (here: killed without a chance to record).
    child.kill('SIGKILL');
    await closed;
    const taken = await onCi('resume', '--takeover', '--rerun');
    expect(taken.code, taken.stderr).toBe(0);
    const json = JSON.parse((await onCi('status', '--json')).stdout);
    expect(json).toMatchObject({ state: 'cut', running: null, interrupted: null });
    expect(json.phases.build.attempts).toBe(2);
    // The takeover is in the ledger, for everyone: the first attempt ended as taken over, by whom.
    const events = execFileSync('git', ['ls-tree', '-r', '--name-only', 'origin/relmgr/ledger'], { cwd: other, encoding: 'utf8' })
      .split('\n')
      .filter((path) => path.endsWith('-phase.interrupted.json'));
    expect(events).toHaveLength(1);
    const event = JSON.parse(execFileSync('git', ['show', `origin/relmgr/ledger:${events[0]}`], { cwd: other, encoding: 'utf8' }));
    expect(event).toMatchObject({ type: 'phase.interrupted', phase: 'build', data: { takeover: true, host, pid: child.pid, by: 'ci-7' } });
  });

  it('is not abandoned from here without --takeover either; abort --takeover records the takeover, then abandons it', async () => {
    const { r, child, closed, onCi } = await cutRunningHere();
    // Gone for good; its step, left running, ends when told to.
    child.kill('SIGKILL');
    await closed;
    writeFileSync(join(r.dir, '.marker-go'), '');
    const refused = await onCi('abort', '--reason', 'machine died');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('error[E_PHASE_RUNNING]');
    expect(refused.stderr).toContain('take it over with: relmgr abort --reason "machine died" --takeover');
    const aborted = await onCi('abort', '--reason', 'machine died', '--takeover');
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(JSON.parse((await onCi('status', '--release', '1.0.1', '--json')).stdout)).toMatchObject({ state: 'abandoned', running: null });
  });

  it('a run taken over while it was in fact alive stops at its next step boundary, and the release stays cut', async () => {
    const steps = `[ { name: compile, run: ${JSON.stringify(WAITING_STEP)} }, { name: package, run: "echo packaged >> \\"$HOME/packaged\\"" } ]`;
    const { r, closed, onCi, stderr } = await cutRunningHere(steps);
    // Believed gone, but alive: taken over, and finished on ci-7.
    const taken = await onCi('resume', '--takeover', '--assume-done');
    expect(taken.code, taken.stderr).toBe(0);
    // The first run goes on: it must stop at its next step rather than package (and publish) again.
    writeFileSync(join(r.dir, '.marker-go'), '');
    const [code] = (await closed) as [number];
    expect(code).toBe(3);
    expect(stderr()).toContain('error[E_TAKEN_OVER]: the build phase of 1.0.1 was taken over by Test Author <author@example.com> on ci-7');
    expect(readFileSync(join(r.home, 'packaged'), 'utf8')).toBe('packaged\n');
    await onCi('ledger', 'sync');
    expect(JSON.parse((await onCi('status', '--json')).stdout)).toMatchObject({ state: 'cut', running: null, interrupted: null });
  });
});
