import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, watch, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/hanging.js';
import { BIN, makeProject, run, useRepos, type TestRepo } from '../helpers/repo.js';

const repo = useRepos(afterEach);

// In the project's clone both markers are FIFOs: the step says it started (the test reads that), then
// blocks until the test lets it go. Elsewhere they are plain files: it starts and goes on (or fails
// if there is no .marker-go). No sleeps, no polling.
const WAITING_STEP = 'echo started > .marker-started; cat .marker-go > /dev/null';
const CONFIG = (idempotent = false): string =>
  `schema: relmgr/v1\nphases:\n  build:\n    steps: [ { name: compile, run: ${JSON.stringify(WAITING_STEP)}${idempotent ? ', idempotent: true' : ''} } ]\n`;

/** `relmgr cut` in the background, blocked in its step until `letGo`. */
async function blockedCut(r: TestRepo, args: string[] = []): Promise<{ child: ChildProcess; stdout(): string; stderr(): string; closed: Promise<unknown[]> }> {
  execFileSync('mkfifo', [join(r.dir, '.marker-started'), join(r.dir, '.marker-go')]);
  const child = spawn(process.execPath, [BIN, 'cut', ...args], { cwd: r.dir, env: r.env });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = once(child, 'close');
  await readFile(join(r.dir, '.marker-started')); // returns once the step has written it
  // relmgr records the step's process group once it catches signals: from then on a signal is handled.
  await whenChanged(join(r.dir, '.git', 'refs', 'heads', 'relmgr'), () => r.git('ls-tree', '-r', '--name-only', 'relmgr/ledger').includes('step.spawned'));
  return { child, stdout: () => stdout, stderr: () => stderr, closed };
}

/** Lets the blocked step go on (it is reading its FIFO). */
const letGo = (r: TestRepo): Promise<void> => writeFile(join(r.dir, '.marker-go'), '');

/** No step is blocked: plain marker files from now on, so a rerun of the step goes straight through. */
function markersAsFiles(r: TestRepo): void {
  rmSync(join(r.dir, '.marker-started'));
  rmSync(join(r.dir, '.marker-go'));
  writeFileSync(join(r.dir, '.marker-go'), '');
}

/** Resolves once `check` holds, checked again each time `dir` changes (a watch: no polling). */
async function whenChanged(dir: string, check: () => boolean): Promise<void> {
  const watcher = watch(dir);
  try {
    while (!check()) await new Promise((resolve) => watcher.once('change', resolve));
  } finally {
    watcher.close();
  }
}

/** A second clone of the project's remote (a colleague's machine, a CI job): same host here. */
function secondClone(r: TestRepo & { bare: string }): TestRepo {
  const dir = join(r.home, 'other');
  execFileSync('git', ['clone', '-q', r.bare, dir], { env: r.env });
  return { ...r, dir, git: (...args: string[]) => execFileSync('git', args, { cwd: dir, env: r.env, encoding: 'utf8' }).trim() };
}

const REDO = 'relmgr resume --rerun (or, if step "compile" did its work: relmgr resume --assume-done)';

describe('interrupting relmgr', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s during a step: recorded in the ledger and pushed, the lock released, and the hint names what works', async (signal) => {
    const r = makeProject(repo, CONFIG());
    expect((await run(r, ['plan'])).code).toBe(0);
    const cut = await blockedCut(r);
    const pid = cut.child.pid;

    const locked = await run(r, ['test', '--json']);
    expect(locked.code).toBe(3);
    expect(JSON.parse(locked.stdout).error).toMatchObject({
      code: 'E_LOCKED',
      message: `another relmgr (pid ${pid}) is running relmgr cut`,
      // Not "run it again": once the cut succeeds, running cut again would be wrong.
      hint: expect.stringMatching(/^wait for relmgr cut to finish, then see what comes next with: relmgr status; if pid \d+ is no longer running, remove .*relmgr\.lock$/),
    });
    expect(existsSync(join(r.dir, '.git', 'relmgr.lock'))).toBe(true);

    cut.child.kill(signal);
    const [code, killedBy] = await cut.closed;
    expect([code, killedBy]).toEqual([null, signal]);
    expect(cut.stderr()).toContain(`compile  stopped (${signal})`);
    expect(cut.stderr()).toContain(`error[E_INTERRUPTED]: interrupted (${signal}) during the build phase: step "compile" was stopped, and nothing after it ran\n`);
    // The step is not idempotent: plain `relmgr resume` would only ask for a decision.
    expect(cut.stderr()).toContain(`hint: see where the release stands with: relmgr status; continue with: ${REDO}\n`);
    expect(existsSync(join(r.dir, '.git', 'relmgr.lock'))).toBe(false);

    const status = (await run(r, ['status'])).stdout;
    expect(status).toContain('1.0.1 (v1.0.1): planned, build interrupted, normal track');
    expect(status).toContain(`build    interrupted (${signal})`);
    expect(status).toContain(`Next: ${REDO} (the build phase was interrupted)`);
    const json = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(json).toMatchObject({ running: null, interrupted: 'build', state: 'planned' });
    expect(json.phases.build).toMatchObject({ state: 'interrupted', host: hostname(), pid, interruption: { signal, takeover: false, recorded: true } });

    // Pushed: another machine sees the interruption, and resumes it without --takeover.
    const other = secondClone(r);
    expect((await run(other, ['status'])).stdout).toContain(`build    interrupted (${signal})`);
    writeFileSync(join(other.dir, '.marker-go'), '');
    const resumed = await run(other, ['resume', '--rerun']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse((await run(other, ['status', '--json'])).stdout)).toMatchObject({ state: 'cut', running: null, interrupted: null });
  });

  it('an idempotent step: the hint and status say plain relmgr resume, which works', async () => {
    const r = makeProject(repo, CONFIG(true));
    expect((await run(r, ['plan'])).code).toBe(0);
    const cut = await blockedCut(r);
    cut.child.kill('SIGINT');
    expect((await cut.closed)[1]).toBe('SIGINT');
    expect(cut.stderr()).toContain('hint: see where the release stands with: relmgr status; continue from that step with: relmgr resume\n');
    expect((await run(r, ['status'])).stdout).toContain('Next: relmgr resume (the build phase was interrupted)');
    markersAsFiles(r);
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
  });

  it('under --json, an interruption is the one JSON document on stdout', async () => {
    const r = makeProject(repo, CONFIG());
    expect((await run(r, ['plan'])).code).toBe(0);
    const cut = await blockedCut(r, ['--json']);
    cut.child.kill('SIGINT');
    expect((await cut.closed)[1]).toBe('SIGINT');
    expect(JSON.parse(cut.stdout())).toEqual({
      error: {
        code: 'E_INTERRUPTED',
        message: 'interrupted (SIGINT) during the build phase: step "compile" was stopped, and nothing after it ran',
        hint: `see where the release stands with: relmgr status; continue with: ${REDO}`,
        details: [],
      },
    });
  });
});

describe('a phase that is still running', () => {
  it('is running, not interrupted: status says so, a second clone on this host may not resume or cut it, and it finishes once', async () => {
    const r = makeProject(repo, CONFIG());
    expect((await run(r, ['plan'])).code).toBe(0);
    const cut = await blockedCut(r);
    const pid = cut.child.pid;

    const status = (await run(r, ['status'])).stdout;
    expect(status).toContain('1.0.1 (v1.0.1): planned, build running, normal track');
    expect(status).toMatch(new RegExp(`build    running \\(pid ${pid}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)`));
    expect(status).toContain('compile    running');
    expect(status).toContain(`Next: wait for the build phase to finish (pid ${pid}), then: relmgr status`);
    expect(status).not.toContain('interrupted');
    const json = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(json).toMatchObject({ running: 'build', interrupted: null, next: `wait for the build phase to finish (pid ${pid}), then: relmgr status` });
    expect(json.phases.build).toMatchObject({ state: 'running', host: hostname(), pid, interruption: null, finishedAt: null });

    const other = secondClone(r);
    writeFileSync(join(other.dir, '.marker-go'), '');
    for (const args of [['resume'], ['resume', '--rerun'], ['resume', '--takeover', '--rerun'], ['cut']]) {
      const refused = await run(other, [...args, '--json'], { env: { CI: 'true' } });
      expect(refused.code, args.join(' ')).toBe(3);
      expect(JSON.parse(refused.stdout).error).toMatchObject({
        code: 'E_PHASE_RUNNING',
        message: expect.stringMatching(new RegExp(`^the build phase of 1\\.0\\.1 is running \\(pid ${pid}, since .* UTC\\)$`)),
        hint: 'wait for it to finish, then see what comes next with: relmgr status',
      });
    }
    expect(existsSync(join(other.dir, '.marker-started'))).toBe(false);

    await letGo(r);
    expect((await cut.closed)[0]).toBe(0);
    expect(JSON.parse((await run(other, ['status', '--json'])).stdout)).toMatchObject({ state: 'cut', running: null, interrupted: null });
  });
});

describe('SIGKILL of relmgr during a step', () => {
  it('leaves the step running on: status says so, resume waits for it, then finishes the cut once', async () => {
    const r = makeProject(repo, CONFIG(true));
    expect((await run(r, ['plan'])).code).toBe(0);
    const cut = await blockedCut(r);
    const pid = cut.child.pid as number;
    // Killed once the ledger knows the step's process group (blockedCut waits for it).
    cut.child.kill('SIGKILL');
    await cut.closed;

    const status = await run(r, ['status']);
    expect(status.stdout).toMatch(new RegExp(`build    running: relmgr \\(pid ${pid}\\) is gone, but its step "compile" runs on \\(process group \\d+; it may stop part-way when it next writes output\\)`));
    expect(status.stdout).toMatch(/Next: wait for step "compile" to end, or stop it: kill -TERM -\d+; then: relmgr resume\n/);
    const refused = await run(r, ['resume']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('error[E_PHASE_RUNNING]');

    // The step ends by itself; then resume reruns it (idempotent) and finishes the cut once.
    const pgid = Number(/kill -TERM -(\d+)/.exec(status.stdout)?.[1]);
    await letGo(r);
    // An orphaned process group cannot be waited on: check until the kernel has it gone.
    await until(() => {
      try {
        process.kill(-pgid, 0);
        return false;
      } catch {
        return true;
      }
    });
    markersAsFiles(r);
    const resumed = await run(r, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ state: 'cut', running: null, interrupted: null });
  });
});
