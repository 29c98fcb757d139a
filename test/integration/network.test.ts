import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runText } from '../../src/adapters/exec.js';
import { createReleaseGit } from '../../src/adapters/git-release.js';
import { createGitStore } from '../../src/adapters/git-store.js';
import { alive, hangingServer, until } from '../helpers/hanging.js';
import { useRepos } from '../helpers/repo.js';

const repo = useRepos(afterEach);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function hungRemote() {
  const server = await hangingServer();
  cleanups.push(() => server.close());
  const r = repo();
  r.commit('feat: a');
  r.git('remote', 'add', 'origin', server.url('x.git'));
  return { r, server };
}

describe('commands with a timeout', () => {
  it('kill the whole process tree when the time is up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relmgr-exec-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const pids = join(dir, 'pids');
    // A child that leaves a grandchild holding the output pipes: both must go.
    const script = `echo $$ > ${pids}; sleep 300 & echo $! >> ${pids}; wait`;
    const result = await runText('/bin/sh', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH }, timeoutMs: 1000 });
    expect(result.timedOut).toBe(true);
    const started = readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(started).toHaveLength(2);
    // Signalled before runText returned; a loaded machine may take a moment to schedule their exit.
    await until(() => !started.some(alive));
  });

  it('leave a command that finishes in time alone', async () => {
    const result = await runText('/bin/sh', ['-c', 'echo ok'], { cwd: tmpdir(), env: { PATH: process.env.PATH }, timeoutMs: 10_000 });
    expect(result).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '' });
  });
});

describe('git against a remote that accepts and never answers', () => {
  it('fails a ledger fetch with E_NETWORK_TIMEOUT and leaves the remote-tracking ref alone', async () => {
    const { r, server } = await hungRemote();
    const store = createGitStore(r.dir, r.env);
    await expect(store.fetch('origin', 'relmgr/ledger', 'refs/relmgr/remote/relmgr/ledger', 300)).rejects.toMatchObject({
      code: 'E_NETWORK_TIMEOUT',
      exitCode: 1,
      message: 'could not fetch the ledger: origin did not answer git fetch within 300ms (stopped)',
      hint: expect.stringContaining('audit.ledger.push: never'),
    });
    expect(server.connections()).toBe(1);
    expect(await store.readRef('refs/relmgr/remote/relmgr/ledger')).toBeUndefined();
  });

  it('fails a ledger push the same way', async () => {
    const { r } = await hungRemote();
    await expect(createGitStore(r.dir, r.env).push('origin', 'HEAD', 'relmgr/ledger', 300)).rejects.toMatchObject({
      code: 'E_NETWORK_TIMEOUT',
      message: 'could not push the ledger: origin did not answer git push within 300ms (stopped)',
    });
  });

  it('fails a release ls-remote and push with E_NETWORK_TIMEOUT naming the remote', async () => {
    const { r } = await hungRemote();
    r.tag('v1.0.0', { annotated: true });
    r.git('branch', '-M', 'main');
    const git = createReleaseGit(r.dir, r.env, 300);
    await expect(git.remoteTagCommit('origin', 'v1.0.0')).rejects.toMatchObject({
      code: 'E_NETWORK_TIMEOUT',
      message: 'could not ask origin for tag v1.0.0: origin did not answer git ls-remote within 300ms (stopped)',
      hint: expect.stringContaining('--no-push'),
    });
    await expect(git.push('origin', 'main', 'v1.0.0')).rejects.toMatchObject({ code: 'E_NETWORK_TIMEOUT', message: expect.stringContaining('git push within 300ms') });
  });
});
