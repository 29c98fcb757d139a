import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, run, useProjects, type RunResult, type TestRepo } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);
type Project = TestRepo & { bare: string };
const CONFIG = 'schema: relmgr/v1\nversioning: { branches: [main] }\nphases:\n  build:\n    steps: [ { name: compile, run: "true" } ]\n';

/** A laptop clone (Alice) and a CI clone (CI) of one bare remote: v1.0.0 released, `feat: x` pushed since. */
function laptopAndCi(): { laptop: Project; ci: Project } {
  const laptop = project(CONFIG);
  laptop.commit('feat: x', { file: 'x.txt' });
  laptop.git('push', '-q', 'origin', 'main');
  const dir = join(laptop.home, 'ci');
  execFileSync('git', ['clone', '-q', laptop.bare, dir], { env: laptop.env });
  // Who acts is who git commits as: one identity per machine.
  const as = (name: string, email: string) => ({ GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email });
  const ci: Project = { ...laptop, dir, env: { ...laptop.env, ...as('CI', 'ci@example.com') }, git: (...args) => execFileSync('git', args, { cwd: dir, env: laptop.env, encoding: 'utf8' }).trim() };
  return { laptop: Object.assign(laptop, { env: { ...laptop.env, ...as('Alice', 'alice@example.com') } }), ci };
}

/** relmgr as a real process that runs alongside others (spawnSync would run them one after the other). */
function start(r: Pick<TestRepo, 'dir' | 'env'>, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: r.dir, env: { ...r.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const plans = (r: Project): string[] =>
  execFileSync('git', ['ls-tree', '-r', '--name-only', 'refs/heads/relmgr/ledger'], { cwd: r.bare, encoding: 'utf8' })
    .split('\n')
    .filter((path) => path.endsWith('release.planned.json'));

describe('two machines plan at once', () => {
  it('lets exactly one plan stand; the other exits 3 naming who planned what, and records nothing', async () => {
    for (let round = 0; round < 3; round++) {
      const { laptop, ci } = laptopAndCi();
      laptop.commit('feat!: laptop-only breaking', { file: 'y.txt' });
      const [mine, theirs] = await Promise.all([start(laptop, ['plan', '--json']), start(ci, ['plan', '--json'], { CI: 'true' })]);
      const results = [mine, theirs];
      expect(results.map((r) => r.code).sort(), `${mine.stderr}\n${theirs.stderr}`).toEqual([0, 3]);
      const winner = mine.code === 0 ? { result: mine, version: '2.0.0', who: 'Alice <alice@example.com>' } : { result: theirs, version: '1.1.0', who: 'CI <ci@example.com>' };
      const loser = mine.code === 0 ? theirs : mine;
      expect(JSON.parse(winner.result.stdout)).toMatchObject({ planned: true, version: winner.version });
      expect(JSON.parse(loser.stdout)).toMatchObject({ error: { code: 'E_RELEASE_OPEN' } });
      // Caught at the push (the race) or, when the winner's push came first, when the loser read the ledger.
      const message: string = JSON.parse(loser.stdout).error.message;
      expect([`release ${winner.version} was planned by ${winner.who} while this plan of`, `release ${winner.version} is already open (planned)`]).toContainEqual(
        message.startsWith(`release ${winner.version} was planned`) ? message.slice(0, message.indexOf(' of ') + 3) : message,
      );
      expect(loser.stderr).not.toContain('not pushed');
      // The shared ledger holds one plan; both machines see the same open release.
      expect(plans(laptop)).toHaveLength(1);
      for (const r of [laptop, ci]) {
        expect((await run(r, ['ledger', 'sync'])).code).toBe(0);
        expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ version: winner.version, state: 'planned' });
      }
      laptop.cleanup();
    }
  });

  it('refuses a plan whose push loses the race to another machine (the remote ref moved while it pushed)', async () => {
    const { laptop, ci } = laptopAndCi();
    // CI's plan reaches the remote while the laptop pushes: replayed by a hook, so it happens every time.
    expect((await run(ci, ['plan'], { env: { CI: 'true' } })).code).toBe(0);
    const ciLedger = execFileSync('git', ['rev-parse', 'refs/heads/relmgr/ledger'], { cwd: laptop.bare, encoding: 'utf8' }).trim();
    execFileSync('git', ['update-ref', '-d', 'refs/heads/relmgr/ledger'], { cwd: laptop.bare });
    writeFileSync(join(laptop.bare, 'hooks', 'pre-receive'), `#!/bin/sh\nmkdir -p refs/heads/relmgr && echo ${ciLedger} > refs/heads/relmgr/ledger\nrm -f "$0"\n`, { mode: 0o755 });
    const refused = await run(laptop, ['plan']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/error\[E_RELEASE_OPEN\]: release 1\.1\.0 was planned by CI <ci@example\.com> while this plan of 1\.1\.0 was being recorded: the first plan stands, and 1\.1\.0 was not planned \(nothing was recorded\)\n/);
    expect(refused.stderr).toMatch(/ {2}1\.1\.0: tag v1\.1\.0 at [0-9a-f]{7} on main, planned .* \(planned\)\n/);
    expect(refused.stderr).toContain('hint: see it with: relmgr status; to plan over it: relmgr plan --replace --reason "…"');
    expect(plans(laptop)).toHaveLength(1);
    const status = JSON.parse((await run(laptop, ['status', '--json'])).stdout);
    expect(status).toMatchObject({ version: '1.1.0', initiator: { name: 'CI' } });
    const log = (await run(laptop, ['ledger', 'log'])).stdout;
    expect(log.match(/release\.planned/g)).toHaveLength(1);
  });
});

describe('a decision whose ledger push fails for good is not a success', () => {
  it('plan and abort keep the event here, exit 1, and point to relmgr ledger sync, which shares it later', async () => {
    const r = project(CONFIG);
    const hook = join(r.bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "the ledger is read-only for you" >&2\nexit 1\n', { mode: 0o755 });
    const plan = await run(r, ['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).not.toContain('Planned');
    expect(plan.stderr).toMatch(/error\[E_LEDGER_PUSH\]: the plan of 1\.0\.1 was recorded here, but the ledger could not be shared: could not push the ledger to origin: .*read-only for you/s);
    expect(plan.stderr).toContain('hint: share it with: relmgr ledger sync');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout)).toMatchObject({ version: '1.0.1', state: 'planned' });
    const abort = await run(r, ['abort', '--reason', 'not now']);
    expect(abort.code).toBe(1);
    expect(abort.stderr).toContain('error[E_LEDGER_PUSH]: the abandon of 1.0.1 was recorded here, but the ledger could not be shared');
    writeFileSync(hook, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect((await run(r, ['ledger', 'sync'])).code).toBe(0);
    expect(execFileSync('git', ['ls-tree', '-r', '--name-only', 'refs/heads/relmgr/ledger'], { cwd: r.bare, encoding: 'utf8' })).toMatch(/release\.planned[\s\S]*release\.abandoned|release\.abandoned[\s\S]*release\.planned/);
  });
});
