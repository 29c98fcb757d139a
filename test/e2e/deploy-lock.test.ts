import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alive, until } from '../helpers/hanging.js';
import { BIN, run, useProjects, type RunResult, type TestRepo } from '../helpers/repo.js';
import { tested } from '../helpers/environments.js';

const project = useProjects(afterEach, afterAll);

// The staging deploy step says it started (its pid), then waits for $HOME/go.
const WAITING = 'echo $$ > "$HOME/step.pid"; while [ ! -f "$HOME/go" ]; do sleep 0.05; done; echo "deploy staging $RELMGR_VERSION" >> "$HOME/deploys.log"';
const CONFIG = [
  'schema: relmgr/v1',
  'versioning: { branches: [main] }',
  'phases:',
  '  build: { steps: [ { name: compile, run: "true" } ] }',
  '  test: { steps: [ { name: unit, run: "true" } ] }',
  '  deploy: { order: [staging, production] }',
  'environments:',
  `  staging: { deploy: [ { name: ship, run: ${JSON.stringify(WAITING)} } ] }`,
  '  production: { tier: production, deploy: [ { name: ship, run: "true" } ] }',
  '',
].join('\n');

const deploys = (r: TestRepo): string[] => (existsSync(join(r.home, 'deploys.log')) ? readFileSync(join(r.home, 'deploys.log'), 'utf8').trim().split('\n') : []);

/** A tested 1.0.1 and a second clone of the same remote (another machine), at the release commit. */
async function twoClones(): Promise<{ r: TestRepo & { bare: string }; other: TestRepo }> {
  const r = project(CONFIG);
  await tested(r);
  const dir = join(r.home, 'other');
  execFileSync('git', ['clone', '-q', r.bare, dir], { env: r.env });
  execFileSync('git', ['checkout', '-q', 'v1.0.1'], { cwd: dir, env: r.env });
  const env = { ...r.env, GIT_COMMITTER_NAME: 'CI', GIT_COMMITTER_EMAIL: 'ci@example.com' };
  return { r, other: { ...r, dir, env, git: (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim() } };
}

/** relmgr as a real process, alongside others. */
function start(r: Pick<TestRepo, 'dir' | 'env'>, args: string[]): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: r.dir, env: r.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = once(child, 'close').then(([code]) => ({ code: (code as number | null) ?? -1, stdout, stderr }));
  return { child, done };
}

/** Once the running deploy's step is recorded with its process group (a signal from then on is handled). */
async function stepRunning(r: TestRepo & { bare: string }): Promise<number> {
  await until(() => existsSync(join(r.home, 'step.pid')));
  // The cut's and the test's steps were recorded so too: the third is the deploy's.
  await until(() => r.git('ls-tree', '-r', '--name-only', 'relmgr/ledger').split('\n').filter((f) => f.includes('step.spawned')).length >= 3);
  // … and shared: another clone reads it from the remote (a kill before that push would leave it here only).
  await until(() => execFileSync('git', ['ls-tree', '-r', '--name-only', 'refs/heads/relmgr/ledger'], { cwd: r.bare, encoding: 'utf8' }).split('\n').filter((f) => f.includes('step.spawned')).length >= 3);
  return Number(readFileSync(join(r.home, 'step.pid'), 'utf8'));
}

describe('the environment lock', () => {
  it('two deploys to staging from two clones at once: exactly one runs the steps, the other exits 10 naming who holds it', async () => {
    const { r, other } = await twoClones();
    const a = start(r, ['deploy', 'staging', '--json']);
    const b = start(other, ['deploy', 'staging', '--json']);
    // The one that lost answers at once, while the winner's step still waits.
    const first = await Promise.race([a.done, b.done]);
    writeFileSync(join(r.home, 'go'), '');
    const results = await Promise.all([a.done, b.done]);
    expect(results.map((x) => x.code).sort(), results.map((x) => x.stderr).join('\n')).toEqual([0, 10]);
    expect(first.code).toBe(10);
    const error = JSON.parse(first.stdout).error;
    expect(error.code).toBe('E_ENV_LOCKED');
    expect(error.message).toMatch(/^staging is locked: the deploy of 1\.0\.1 runs there, started by (Test Author <author@example\.com>|CI <ci@example\.com>) on \S+ \(pid \d+\) at .* UTC \(nothing was done here\)$/);
    expect(error.hint).toContain('wait for it with: relmgr deploy staging --wait 30m');
    expect(deploys(r)).toEqual(['deploy staging 1.0.1']);
  });

  it('--wait looks again until the lock is free, then runs', async () => {
    const { r, other } = await twoClones();
    const a = start(r, ['deploy', 'staging']);
    await stepRunning(r);
    let slept = 0;
    // Each look that finds the lock held sleeps: here, the other deploy finishes meanwhile.
    const sleep = async (): Promise<void> => {
      slept += 1;
      writeFileSync(join(r.home, 'go'), '');
      expect((await a.done).code).toBe(0);
    };
    const waited = await run(other, ['deploy', 'staging', '--redeploy', '--wait', '30m'], { context: { sleep } });
    expect(waited.code, waited.stderr).toBe(0);
    expect(slept).toBe(1);
    expect(waited.stderr).toMatch(/waiting for staging: the deploy of 1\.0\.1 runs there \(Test Author on \S+\)/);
    expect(deploys(r)).toEqual(['deploy staging 1.0.1', 'deploy staging 1.0.1']);
  });

  it('a SIGKILL mid-step: the lock holds while the step runs on, then resume completes the deploy exactly once', async () => {
    const { r, other } = await twoClones();
    const a = start(r, ['deploy', 'staging']);
    const step = await stepRunning(r);
    a.child.kill('SIGKILL');
    await a.done;
    expect(alive(step), 'the step runs on').toBe(true);
    const status = await run(r, ['status']);
    expect(status.stdout).toMatch(/deploy staging: running: relmgr \(pid \d+\) is gone, but its step "ship" runs on/);
    expect(status.stdout).toMatch(/locked: the deploy of 1\.0\.1 runs there \(Test Author on \S+, since .* UTC\)/);
    // The lock holds while the step runs on (this clone recorded its process group).
    const locked = await run(r, ['deploy', 'staging']);
    expect(locked.code).toBe(10);
    expect(locked.stderr).toContain('error[E_ENV_LOCKED]');
    // Another clone on this host sees the same: the step's process group was shared as it started.
    const there = await run(other, ['deploy', 'staging']);
    expect(there.code, there.stderr).toBe(10);
    expect(there.stderr).toContain('error[E_ENV_LOCKED]');
    // The step ends by itself: the lock is free; the deploy is interrupted, and its step was not idempotent.
    const pgid = Number(/kill -TERM -(\d+)/.exec(locked.stderr + status.stdout)?.[1]);
    writeFileSync(join(r.home, 'go'), '');
    await until(() => !alive(step));
    // An orphaned process group cannot be waited on: check until the kernel has it gone.
    await until(() => {
      try {
        process.kill(-pgid, 0);
        return false;
      } catch {
        return true;
      }
    });
    const after = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(after.next).toContain('relmgr resume --rerun (or, if step "ship" did its work: relmgr resume --assume-done)');
    const ask = await run(r, ['resume']);
    expect(ask.code).toBe(3);
    expect(ask.stderr).toContain('error[E_RESUME_DECIDE]');
    const resumed = await run(r, ['resume', '--assume-done']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Deployed 1.0.1 to staging');
    expect(deploys(r)).toEqual(['deploy staging 1.0.1']);
  });
});
