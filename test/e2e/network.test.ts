import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, hangingServer, relmgrAsync, until } from '../helpers/hanging.js';
import { makeProject, run, useRepos, type TestRepo } from '../helpers/repo.js';

/*
 * A remote that accepts the connection and never answers must not hang any command. The remotes
 * here are a TCP server on 127.0.0.1 that never replies (git://) and an ssh command that never
 * returns; the timeouts are made small through the config and RELMGR_NETWORK_TIMEOUT.
 */

const repo = useRepos(afterEach);
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// Reads wait 300ms; RELMGR_NETWORK_TIMEOUT makes the commands that change something wait 500ms, not 30s.
const CONFIG = 'schema: relmgr/v1\nnetwork: { timeout: 30s, read_timeout: 300ms }\n';
const FAST = { RELMGR_NETWORK_TIMEOUT: '500ms' };
/** Well under the configured 30s: proves the short timeouts were the ones in force. */
const QUICK_MS = 15_000;

/** Runs relmgr in-process (the hanging server lives in this process too), timed. */
async function timed(r: TestRepo, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const begin = performance.now();
  const out = await run(r, args, { env });
  return { ...out, ms: performance.now() - begin };
}

/** Everything a failed command could leave behind: refs, the tree, the lock, private index files. */
function snapshot(r: TestRepo): string {
  const gitDir = join(r.dir, '.git');
  const leftovers = readdirSync(gitDir).filter((f) => f.startsWith('relmgr'));
  return [r.git('for-each-ref', '--format=%(refname) %(objectname)'), r.git('rev-parse', 'HEAD'), r.git('status', '--porcelain'), leftovers.join(',')].join('\n');
}

/** A planned project whose origin is reached through an ssh that never answers (only 127.0.0.1 is named). */
async function hungSsh(): Promise<{ r: TestRepo; pids: string; env: Record<string, string> }> {
  const r = makeProject(repo, CONFIG);
  expect((await run(r, ['plan'])).code).toBe(0);
  const pids = join(r.home, 'ssh-pids');
  const ssh = join(r.home, 'hung-ssh');
  // An "ssh" that never connects anywhere: it records its pid and a child's, says so on the FIFO
  // $HUNG_READY if it is given one, then waits forever.
  writeFileSync(ssh, '#!/bin/sh\necho $$ >> "$HUNG_PIDS"\nsleep 300 &\necho $! >> "$HUNG_PIDS"\nif [ -n "$HUNG_READY" ]; then echo ready > "$HUNG_READY"; fi\nwait\n');
  chmodSync(ssh, 0o755);
  r.git('config', 'core.sshCommand', ssh);
  r.git('remote', 'set-url', 'origin', 'ssh://127.0.0.1/remote.git');
  return { r, pids, env: { ...FAST, HUNG_PIDS: pids } };
}

async function plannedWithHungOrigin(): Promise<TestRepo & { bare: string }> {
  const r = makeProject(repo, CONFIG);
  expect((await run(r, ['plan'])).code).toBe(0);
  const server = await hangingServer();
  servers.push(server);
  r.git('remote', 'set-url', 'origin', server.url('remote.git'));
  return r;
}

describe('a remote that never answers', () => {
  it('read-only commands go on with the local ledger after the short read timeout, with a warning', async () => {
    const r = await plannedWithHungOrigin();
    for (const args of [['status', '--json'], ['ledger', 'log'], ['notes']]) {
      const out = await timed(r, args);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
      expect(out.ms).toBeLessThan(QUICK_MS);
      expect(out.stderr).toMatch(/warning: could not fetch the ledger: origin did not answer git fetch within 300ms \(stopped\); showing the local ledger/);
      if (args[0] === 'status') expect(JSON.parse(out.stdout)).toMatchObject({ version: '1.0.1', state: 'planned' });
    }
  });

  it('dry runs only read: they wait the short read timeout for the remote tags too, then go on', async () => {
    const fresh = makeProject(repo, CONFIG);
    const server = await hangingServer();
    servers.push(server);
    fresh.git('remote', 'set-url', 'origin', server.url('remote.git'));
    const plan = await timed(fresh, ['plan', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.ms).toBeLessThan(QUICK_MS);
    expect(plan.stderr).toMatch(/could not check origin for the tag v1\.0\.1 .*within 300ms/);

    const r = await plannedWithHungOrigin();
    const cut = await timed(r, ['cut', '--dry-run']);
    expect(cut.ms, cut.stderr).toBeLessThan(QUICK_MS);
    expect(cut.stderr).not.toMatch(/within 30s/);
  });

  it('commands that change something fail with E_NETWORK_TIMEOUT and leave nothing behind', async () => {
    const r = await plannedWithHungOrigin();
    const before = snapshot(r);
    const cut = await timed(r, ['cut'], FAST);
    expect(cut.code, cut.stderr).toBe(1);
    expect(cut.ms).toBeLessThan(QUICK_MS);
    expect(cut.stderr).toContain('error[E_NETWORK_TIMEOUT]: could not fetch the ledger: origin did not answer git fetch within 500ms (stopped)');
    expect(cut.stderr).toMatch(/hint: .*run the command again.*network\.timeout.*audit\.ledger\.push: never/);
    expect(snapshot(r)).toBe(before);

    const sync = await timed(r, ['ledger', 'sync'], FAST);
    expect(sync.code, sync.stderr).toBe(1);
    expect(sync.stderr).toContain('error[E_NETWORK_TIMEOUT]: could not fetch the ledger: origin did not answer git fetch within 500ms (stopped)');
    expect(snapshot(r)).toBe(before);
  });

  it('a release push that hangs is stopped, and the cut undone', async () => {
    const r = makeProject(repo, CONFIG);
    expect((await run(r, ['plan'])).code).toBe(0);
    const server = await hangingServer();
    servers.push(server);
    // Fetches (the ledger, ls-remote) reach the real remote; pushes go to the one that never answers.
    r.git('remote', 'set-url', '--push', 'origin', server.url('remote.git'));
    const head = r.git('rev-parse', 'HEAD');
    const out = await timed(r, ['cut'], FAST);
    expect(out.code, out.stderr).toBe(20);
    expect(out.ms).toBeLessThan(QUICK_MS);
    expect(out.stderr).toContain('the ledger was recorded here but not pushed (could not push the ledger: origin did not answer git push within 500ms');
    expect(out.stderr).toMatch(/error\[E_CUT_FAILED\]: cut 1\.0\.1 failed: could not push main and v1\.0\.1: origin did not answer git push within 500ms/);
    expect(out.stderr).toContain('undone: tag, commit, files');
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.git('tag', '--list', 'v1.0.1')).toBe('');
    expect(r.git('status', '--porcelain')).toBe('');
    expect(server.connections()).toBeGreaterThan(0);
  });

  it('kills the whole process tree of a hung ssh transport', async () => {
    const { r, pids, env } = await hungSsh();
    const before = snapshot(r);

    const status = await timed(r, ['status'], env);
    expect(status.code, status.stderr).toBe(0);
    const sync = await timed(r, ['ledger', 'sync'], env);
    expect(sync.code, sync.stderr).toBe(1);
    expect(sync.stderr).toContain('origin did not answer git fetch within 500ms');
    expect(snapshot(r)).toBe(before);

    expect(existsSync(pids)).toBe(true);
    const started = readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(started).toHaveLength(4);
    await until(() => !started.some(alive));
  });

  it('takes the hung transport down with it when interrupted (Ctrl-C)', async () => {
    const { r, pids, env } = await hungSsh();
    // Spawned: a signal is the point. It is sent once the hung ssh says it is up (a FIFO, not a wait).
    const ready = join(r.home, 'ssh-ready');
    execFileSync('mkfifo', [ready]);
    const out = await relmgrAsync(r, ['ledger', 'sync'], { ...env, HUNG_READY: ready, RELMGR_NETWORK_TIMEOUT: '5m' }, (child) => {
      void readFile(ready).then(() => child.kill('SIGINT'));
    });
    expect(out.signal ?? out.code, out.stderr).toBe('SIGINT');
    expect(out.ms).toBeLessThan(QUICK_MS);
    const started = readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(started).toHaveLength(2);
    await until(() => !started.some(alive));
  });
});
