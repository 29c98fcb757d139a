import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, makeProject, relmgr, useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);

/** Resolves once `ready()` holds (checked every 20 ms), or fails after 20 s. */
async function until(ready: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 20_000; !ready(); ) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const WAITING_STEP = 'touch .marker-started; while [ ! -f .marker-go ]; do sleep 0.05; done';

describe('interrupting relmgr', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s during a step: names the stopped step and relmgr resume; meanwhile the lock names the command', async (signal) => {
    const r = makeProject(repo, `schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: compile, run: ${JSON.stringify(WAITING_STEP)} } ]\n`);
    expect(relmgr(r, ['plan']).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'cut'], { cwd: r.dir, env: r.env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = once(child, 'close');
    await until(() => existsSync(join(r.dir, '.marker-started')));

    const locked = relmgr(r, ['test', '--json']);
    expect(locked.code).toBe(3);
    expect(JSON.parse(locked.stdout).error).toMatchObject({
      code: 'E_LOCKED',
      message: `another relmgr (pid ${child.pid}) is running relmgr cut`,
      hint: expect.stringMatching(/^wait for relmgr cut to finish, then run relmgr test again .*if pid \d+ is no longer running, remove .*relmgr\.lock$/),
    });

    child.kill(signal);
    const [code, killedBy] = await closed;
    expect([code, killedBy]).toEqual([null, signal]);
    expect(stderr).toContain(`compile  stopped (${signal})`);
    expect(stderr).toContain(`error[E_INTERRUPTED]: interrupted (${signal}) during the build phase: step "compile" was stopped, and nothing after it ran\n`);
    expect(stderr).toContain('hint: see where the release stands with: relmgr status; continue from that step with: relmgr resume\n');
    expect(relmgr(r, ['status']).stdout).toContain('Next: relmgr resume (the build phase was interrupted)');
  });

  it('under --json, an interruption is the one JSON document on stdout', async () => {
    const r = makeProject(repo, `schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: compile, run: ${JSON.stringify(WAITING_STEP)} } ]\n`);
    expect(relmgr(r, ['plan']).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'cut', '--json'], { cwd: r.dir, env: r.env });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const closed = once(child, 'close');
    await until(() => existsSync(join(r.dir, '.marker-started')));
    child.kill('SIGINT');
    expect((await closed)[1]).toBe('SIGINT');
    expect(JSON.parse(stdout)).toEqual({
      error: {
        code: 'E_INTERRUPTED',
        message: 'interrupted (SIGINT) during the build phase: step "compile" was stopped, and nothing after it ran',
        hint: 'see where the release stands with: relmgr status; continue from that step with: relmgr resume',
        details: [],
      },
    });
  });
});
