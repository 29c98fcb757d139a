import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hasPty, relmgrInPty } from '../helpers/pty.js';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);
const remoteTags = (r: { bare: string; env: NodeJS.ProcessEnv }): string => execFileSync('git', ['ls-remote', '--tags', r.bare], { encoding: 'utf8', env: r.env });

describe('abort', () => {
  it('abandons only the open release: a second abort says it is already abandoned (exit 3) and never reaches the tested one', async () => {
    const r = project();
    for (const args of [['plan'], ['cut'], ['test']]) expect((await run(r, args)).code).toBe(0);
    r.commit('feat: more', { file: 'b.txt' });
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['abort', '--reason', 'not today'])).stdout).toMatch(/^Abandoned 1\.1\.0: not today\./);
    const again = await run(r, ['abort', '--reason', 'again']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/error\[E_ABANDONED\]: release 1\.1\.0 is already abandoned\nhint: relmgr plan \(this release was abandoned\)/);
    expect((await run(r, ['status'])).code).toBe(3);
    expect(JSON.parse((await run(r, ['status', '--release', '1.0.1', '--json'])).stdout).state).toBe('tested');
    expect((await run(r, ['ledger', 'log'])).stdout).not.toMatch(/1\.0\.1\s+release\.abandoned/);
  });

  it('refuses to abandon a release production runs (E_DEPLOYED, nothing recorded); one only staging runs is abandoned', async () => {
    const config = 'schema: relmgr/v1\nphases:\n  deploy:\n    order: [staging, production]\nenvironments:\n  staging:\n    deploy: [ { run: "true" } ]\n  production:\n    deploy: [ { run: "true" } ]\n';
    const r = project(config);
    for (const args of [['plan'], ['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]) expect((await run(r, args)).code).toBe(0);
    const refused = await run(r, ['abort', '--reason', 'changed my mind']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('error[E_DEPLOYED]: release 1.0.1 runs in production: it cannot be abandoned');
    expect(refused.stderr).toContain('hint: roll it back: relmgr rollback production --reason "…", or record how it ended: relmgr close --note "…"');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).state).toBe('deployed');
    r.commit('fix: more', { file: 'b.txt' });
    for (const args of [['plan'], ['cut'], ['test'], ['deploy', 'staging']]) expect((await run(r, args)).code).toBe(0);
    const abandoned = await run(r, ['abort', '--reason', 'staging found a bug']);
    expect(abandoned.code, abandoned.stderr).toBe(0);
    expect(abandoned.stdout).toMatch(/^Abandoned 1\.0\.2: staging found a bug\./);
  });

  it('needs --reason for a release whose tag is published, and says the tag stays', async () => {
    const r = project();
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut'])).code).toBe(0);
    const bare = await run(r, ['abort']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/error\[E_REASON_REQUIRED\]: the tag v1\.0\.1 of 1\.0\.1 is already published on origin/);
    expect(bare.stderr).toContain('hint: relmgr abort --reason');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).state).toBe('cut');
    const done = await run(r, ['abort', '--reason', 'superseded by 1.0.2']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Its tag v1.0.1 stays published on origin: the release is recorded as abandoned (superseded), never deleted.');
    expect(remoteTags(r)).toContain('refs/tags/v1.0.1');
    expect(JSON.parse((await run(r, ['status', '--release', '1.0.1', '--json'])).stdout)).toMatchObject({ state: 'abandoned', abandoned: { reason: 'superseded by 1.0.2' } });
  });

  it('plan --replace of a release whose tag is published needs --reason too', async () => {
    const r = project();
    for (const args of [['plan'], ['cut']]) expect((await run(r, args)).code).toBe(0);
    r.commit('fix: another', { file: 'b.txt' });
    const bare = await run(r, ['plan', '--replace']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('hint: relmgr plan --replace --reason');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ version: '1.0.1', state: 'cut' });
    expect((await run(r, ['plan', '--replace', '--reason', 'broken'])).code).toBe(0);
    expect((await run(r, ['ledger', 'log'])).stdout).toMatch(/1\.0\.1\s+release\.abandoned\s+replaced by 1\.0\.2: broken/);
  });

  it('does not need a reason for a release cut with --no-push', async () => {
    const r = project();
    await run(r, ['plan']);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    expect((await run(r, ['abort'])).stdout).toMatch(/^Abandoned 1\.0\.1\. Its tag v1\.0\.1 and release commit stay in git\./);
  });
});

describe.skipIf(!hasPty)('abort on a terminal', () => {
  const onTty = (r: TestRepo, answer: string, args: string[] = []) => {
    const script: [string, string][] = answer ? [['Abandon release 1.0.1', answer]] : [];
    return relmgrInPty(script, ['abort', ...args], { cwd: r.dir, env: { ...r.env, CI: '', TERM: 'xterm' }, timeout: 60_000 });
  };

  it('asks first: no leaves the release open (exit 130), yes abandons it, --yes does not ask', async () => {
    const r = project();
    await run(r, ['plan']);
    const no = onTty(r, 'n\r');
    expect(no.waiting_for, no.output).toBeUndefined();
    expect(no.code, no.output).toBe(130);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).state).toBe('planned');
    const yes = onTty(r, 'y\r');
    expect(yes.code, yes.output).toBe(0);
    expect(yes.output).toContain('Abandoned 1.0.1');
    await run(r, ['plan']);
    const flag = onTty(r, '', ['--yes']);
    expect(flag.code, flag.output).toBe(0);
    expect(flag.output).not.toContain('Abandon release');
  });
});
