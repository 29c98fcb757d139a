import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, useProjects, type RunResult, type TestRepo } from '../helpers/repo.js';
import { notifyConfig, startReceiver, type Receiver } from '../helpers/receiver.js';

const project = useProjects(afterEach, afterAll);
type Project = TestRepo & { bare: string };
const env = { HOOK_PATH: 'T0KEN-path-9f8e7d' };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** relmgr as a real process, alongside others and alongside the receiver in this process. */
function start(r: Pick<TestRepo, 'dir' | 'env'>, args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: r.dir, env: { ...r.env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** A second clone of the project's remote, another person's machine. */
function otherClone(r: Project): Project {
  const dir = join(r.home, 'ci');
  execFileSync('git', ['clone', '-q', r.bare, dir], { env: r.env });
  return { ...r, dir, env: { ...r.env, GIT_COMMITTER_NAME: 'CI', GIT_COMMITTER_EMAIL: 'ci@example.com' }, git: (...args) => execFileSync('git', args, { cwd: dir, env: r.env, encoding: 'utf8' }).trim() };
}

const eventsOf = (h: Receiver): string[] => h.received.map((x) => `${(x.body as { event: string }).event} ${(x.body as { env?: string }).env ?? ''}`.trim());

describe('notifications across machines', () => {
  it('two clones sending what is owed at once: the receiver gets exactly one POST per event', async () => {
    for (let round = 0; round < 2; round++) {
      const hook = await startReceiver();
      closers.push(() => hook.close());
      const laptop = project(notifyConfig(hook.url));
      const ci = otherClone(laptop);
      const planned = await start(laptop, ['plan'], env);
      expect(planned.code, planned.stderr).toBe(0);
      expect(eventsOf(hook)).toEqual(['planned']);
      // Later commands on either machine (a resume, status, notify again) send nothing twice.
      await Promise.all([start(laptop, ['resume'], env), start(ci, ['notify'], env)]);
      expect(eventsOf(hook)).toEqual(['planned']);
      // A deploy recorded and shared but announced by nobody (the variable unset), then both machines at once.
      for (const args of [['cut'], ['test'], ['deploy', 'staging']]) expect((await start(laptop, args)).code).toBe(0);
      expect(eventsOf(hook)).toEqual(['planned']);
      const [a, b] = await Promise.all([start(laptop, ['notify'], env), start(ci, ['notify'], env)]);
      expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
      expect(eventsOf(hook)).toEqual(['planned', 'deployed staging']);
      expect([a.stdout, b.stdout].filter((s) => s.startsWith('Sent deployed'))).toHaveLength(1);
      await Promise.all([start(laptop, ['notify'], env), start(ci, ['notify'], env)]);
      expect(eventsOf(hook)).toEqual(['planned', 'deployed staging']);
    }
  }, 120_000);

  it('a receiver that does not answer: the command returns, the retries handed to the background, which sends it', async () => {
    const requests: ServerResponse[] = [];
    let answering = false;
    const bodies: string[] = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(text);
        if (answering) res.end('ok');
        else requests.push(res); // hangs
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const res of requests) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = project(notifyConfig(url));
    const planned = await start(r, ['plan'], env);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toMatch(/warning: could not notify 127\.0\.0\.1:\d+ yet \(127\.0\.0\.1:\d+: no answer\): retrying in the background \(log: \.relmgr\/logs\/notify\/.+\.log\)/);
    expect(planned.stderr).not.toContain(env.HOOK_PATH);
    // Handed off: a spool the background process works through.
    const dir = join(r.dir, '.relmgr', 'logs', 'notify');
    expect(readdirSync(dir).some((f) => f.endsWith('.log'))).toBe(true);
    answering = true;
    for (const res of requests.splice(0)) res.destroy();
    const log = (): string => readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    for (let i = 0; i < 300 && !/ sent /.test(log()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log()).toMatch(/ sent .+: payments-api 1\.0\.1 planned/);
    expect(log()).not.toContain(env.HOOK_PATH);
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 50 && readdirSync(dir).some((f) => f.endsWith('.json')); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(dir) && readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 60_000);

  it('with -C <dir> -c <file>: the background delivery uses the same config and repository; its failure is logged and recorded', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const full = notifyConfig(`http://127.0.0.1:${port}`);
    // The repository's own config has no notify: section: only the -c file has.
    const r = project(full.slice(0, full.indexOf('notify:')));
    const file = join(r.home, 'elsewhere.yaml');
    writeFileSync(file, full);
    const planned = await start({ ...r, dir: r.home }, ['-C', r.dir, '-c', file, 'plan'], env);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toMatch(/retrying in the background \(log: /);
    const dir = join(r.dir, '.relmgr', 'logs', 'notify');
    const log = (): string => readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    for (let i = 0; i < 300 && !/ failed /.test(log()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log()).toContain(`(config: ${file})`);
    expect(log()).toMatch(/ failed .+: 127\.0\.0\.1:\d+: connection refused/);
    for (let i = 0; i < 50 && readdirSync(dir).some((f) => f.endsWith('.json')); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(r.git('ls-tree', '-r', '--name-only', 'relmgr/ledger')).toMatch(/notification\.failed/);
  }, 60_000);

  it('a run killed after recording but before notifying: relmgr resume sends it, exactly once', async () => {
    const hook = await startReceiver();
    closers.push(() => hook.close());
    const r = project(notifyConfig(hook.url));
    for (const args of [['plan'], ['cut'], ['test']]) expect((await start(r, args, env)).code).toBe(0);
    expect(eventsOf(hook)).toEqual(['planned']);
    // The remote holds the push of a new claim (and only that one) until we kill relmgr.
    const preReceive = join(r.bare, 'hooks', 'pre-receive');
    const pidFile = join(r.home, 'hook.pid');
    const claims = (rev: string): string => `$(git ls-tree -r --name-only "${rev}" 2>/dev/null | grep -c notification.claimed)`;
    writeFileSync(preReceive, `#!/bin/sh\nwhile read old new ref; do\n  if [ "${claims('$new')}" -gt "${claims('$old')}" ]; then echo $$ > "${pidFile}"; exec sleep 60; fi\ndone\n`);
    chmodSync(preReceive, 0o755);
    const child = spawn(process.execPath, [BIN, 'deploy', 'staging'], { cwd: r.dir, env: { ...r.env, ...env }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    for (let i = 0; i < 300 && !existsSync(pidFile); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(pidFile)).toBe(true);
    // Recorded and shared (the deploy), the claim on its way: killed there.
    child.kill('SIGKILL');
    await exited;
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    rmSync(preReceive);
    expect(execFileSync('git', ['ls-tree', '-r', '--name-only', 'relmgr/ledger'], { cwd: r.bare, encoding: 'utf8' })).toMatch(/deploy\.succeeded\.json/);
    expect(eventsOf(hook)).toEqual(['planned']);
    await start(r, ['resume'], env);
    expect(eventsOf(hook)).toEqual(['planned', 'deployed staging']);
    await start(r, ['resume'], env);
    await start(r, ['notify'], env);
    expect(eventsOf(hook)).toEqual(['planned', 'deployed staging']);
  }, 60_000);
});

