import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';

type Project = TestRepo & { bare: string };
const project = useProjects(afterEach, afterAll);
const remote = (r: Project, ref: string) => execFileSync('git', ['ls-remote', r.bare, ref], { encoding: 'utf8' }).trim();

describe('relmgr push: publish a release cut with --no-push', () => {
  it('status names it, test works unpushed, push sends the commit and tag together and records it', async () => {
    const r = project('schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  test:\n    steps: [ { name: unit, run: "true" } ]\n');
    expect((await run(r, ['plan'])).code).toBe(0);
    // A planned release has done its plan phase.
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).phases.plan).toMatchObject({ state: 'succeeded', attempts: 1, actor: { name: 'Test Author' } });
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    expect(remote(r, 'refs/tags/v1.0.1')).toBe('');
    const text = (await run(r, ['status'])).stdout;
    expect(text).toContain('  not pushed: publish it with relmgr push (to origin)');
    expect(text).toMatch(/Next: relmgr test, and relmgr push to publish it/);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ state: 'cut', pushed: false, next: expect.stringContaining('relmgr push') });
    expect((await run(r, ['test'])).code).toBe(0);
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ state: 'tested', pushed: false, next: expect.stringMatching(/^relmgr push/) });
    const outputs = join(r.home, 'github-output');
    const pushed = await run(r, ['push'], { env: { GITHUB_OUTPUT: outputs } });
    expect(pushed.code, pushed.stderr).toBe(0);
    const commit = r.git('rev-parse', 'HEAD');
    expect(pushed.stdout).toBe(`Pushed 1.0.1: commit ${commit.slice(0, 7)} to main and tag v1.0.1, to origin\nNext: relmgr status\n`);
    expect(remote(r, 'refs/heads/main')).toBe(`${commit}\trefs/heads/main`);
    expect(remote(r, 'refs/tags/v1.0.1')).not.toBe('');
    expect(readFileSync(outputs, 'utf8')).toContain('released=true');
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ pushed: true, next: expect.not.stringContaining('relmgr push') });
    expect(status.phases.build.effects).toContainEqual({ kind: 'push', undone: false });
    expect((await run(r, ['status'])).stdout).not.toContain('not pushed');
    expect((await run(r, ['status'])).stdout).toMatch(/ ✔ files\n +✔ commit [0-9a-f]{7}\n +✔ tag v1\.0\.1\n +✔ push to origin\n/);
    // The ledger log says which effect each line is.
    const log = (await run(r, ['ledger', 'log'])).stdout;
    for (const effect of ['files', `commit ${commit.slice(0, 7)}`, 'tag v1.0.1', 'push to origin']) expect(log).toMatch(new RegExp(`effect\\.applied\\s+build ${effect}  by`));
    // A sync with nothing new says so, and pushes nothing.
    expect((await run(r, ['ledger', 'sync'])).stderr).toBe('ledger relmgr/ledger synced with origin: up to date\n');
    // Again: nothing to do, and nothing recorded twice.
    expect((await run(r, ['push'])).stdout).toBe('1.0.1 is already pushed to origin\n');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).phases.build.effects.filter((e: { kind: string }) => e.kind === 'push')).toHaveLength(1);
  });

  it('pushes the release commit even when HEAD has moved on, and refuses before the cut', async () => {
    const r = project();
    expect((await run(r, ['plan'])).code).toBe(0);
    const early = await run(r, ['push']);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('hint: cut it first: relmgr cut');
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    const commit = r.git('rev-parse', 'HEAD');
    r.commit('chore: local work', { file: 'later.txt' });
    expect((await run(r, ['push'])).code).toBe(0);
    expect(remote(r, 'refs/heads/main')).toBe(`${commit}\trefs/heads/main`);
  });

  it('says how to start over when the branch moved on the remote', async () => {
    const r = project();
    await run(r, ['plan']);
    expect((await run(r, ['cut', '--no-push'])).code).toBe(0);
    const other = join(r.home, 'other');
    execFileSync('git', ['clone', '-q', r.bare, other], { env: r.env });
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'fix: elsewhere'], { cwd: other, env: r.env });
    execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: other, env: r.env });
    const refused = await run(r, ['push']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('main moved on origin since 1.0.1 was cut');
    expect(refused.stderr).toMatch(/hint: start over on top of it: relmgr abort --reason "main moved", then git tag -d v1\.0\.1, then git reset --keep [0-9a-f]{12}, then git pull --rebase --tags origin main, then relmgr plan\n/);
    expect(remote(r, 'refs/tags/v1.0.1')).toBe('');
    // Walk the hint, exactly as written: each command in turn, then the new release cuts and pushes.
    const steps = (/^hint: start over on top of it: (.*)$/m.exec(refused.stderr)?.[1] ?? '').split(', then ');
    for (const step of steps) {
      if (step.startsWith('relmgr ')) {
        // Its words as a shell would split them ("main moved" is one).
        const args = [...step.slice('relmgr '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
        const ran = await run(r, args);
        expect(ran.code, `${step}: ${ran.stderr}`).toBe(0);
      } else execFileSync('sh', ['-c', step], { cwd: r.dir, env: r.env, stdio: 'pipe' });
    }
    expect(steps.at(-1)).toBe('relmgr plan');
    const cut = await run(r, ['cut']);
    expect(cut.code, cut.stderr).toBe(0);
    expect(remote(r, 'refs/tags/v1.0.1')).not.toBe('');
  });
});
