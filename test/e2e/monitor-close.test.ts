import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { otherClone } from '../helpers/hints.js';
import { hasPty, relmgrInPty } from '../helpers/pty.js';
import { BIN, run, useProjects, type RunResult } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);

/** Two environments; a monitor check that passes while .marker-down does not exist; a feedback step. */
const CONFIG = `schema: relmgr/v1
phases:
  deploy: { order: [staging, production] }
  monitor:
    steps: [ { name: health, run: "test ! -f .marker-down" } ]
  feedback:
    steps: [ { name: review, run: "true" } ]
environments:
  staging: { deploy: [ { run: "true" } ] }
  production: { deploy: [ { run: "true" } ] }
`;

async function through(r: Parameters<typeof run>[0], commands: string[][]): Promise<void> {
  for (const args of commands) {
    const out = await run(r, args);
    expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
  }
}

/** A real relmgr process, started now and not waited for. */
function start(dir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

const json = async (r: Parameters<typeof run>[0], args: string[]) => JSON.parse((await run(r, [...args, '--json'])).stdout) as Record<string, unknown>;

describe('relmgr monitor', () => {
  it('is refused before production has the release, naming the command that works, and records nothing', async () => {
    const r = project(CONFIG);
    await through(r, [['plan'], ['cut'], ['test'], ['deploy', 'staging']]);
    const before = r.git('rev-parse', 'relmgr/ledger');
    const out = await run(r, ['monitor']);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('error[E_STATE]: 1.0.1 is not deployed to production; monitor runs after that');
    expect(out.stderr).toContain('hint: next: relmgr deploy production');
    expect(r.git('rev-parse', 'relmgr/ledger')).toBe(before);
  });

  it('runs after production and reaches monitored; a second monitor is refused', async () => {
    const r = project(CONFIG);
    await through(r, [['plan'], ['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]);
    const out = await run(r, ['monitor']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Monitored 1.0.1: 1 step passed\nNext: relmgr close --note "…"');
    expect(out.stderr).toMatch(/▸ monitor \(1\.0\.1\)/);
    expect((await json(r, ['status'])).state).toBe('monitored');
    const again = await run(r, ['monitor']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('1.0.1 was already monitored');
  });

  it('a failing check fails the release in production (exit 20) and offers the rollback, in the error and in status', async () => {
    const r = project(CONFIG);
    await through(r, [['plan'], ['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]);
    writeFileSync(join(r.dir, '.marker-down'), '');
    const out = await run(r, ['monitor']);
    expect(out.code).toBe(20);
    expect(out.stderr).toContain('1.0.1 is failed in production');
    expect(out.stderr).toContain('relmgr rollback production --reason "…"');
    expect(out.stderr).toContain('relmgr resume');
    const status = await json(r, ['status']);
    expect(status.state).toBe('failed');
    expect(status.next).toMatch(/^roll it back: relmgr rollback production --reason "…" \(1\.0\.1 failed in production\), or fix the cause and retry: relmgr resume$/);
    // relmgr monitor again is refused with the same advice; resume retries.
    expect((await run(r, ['monitor'])).stderr).toContain('relmgr rollback production');
    rmSync(join(r.dir, '.marker-down'));
    expect((await run(r, ['resume'])).code).toBe(0);
    expect((await json(r, ['status'])).state).toBe('monitored');
  });

  it('holds at a soak wait (exit 10), and --wait sits it out', async () => {
    const r = project(`${CONFIG.replace('  monitor:\n', '  monitor:\n    entry: [ { wait: 1s } ]\n')}`);
    await through(r, [['plan'], ['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]);
    const outputs = join(r.home, 'monitor.env');
    const held = await run(r, ['monitor', '--dotenv', outputs]);
    expect(held.code).toBe(10);
    expect(held.stderr).toContain('E_GATE_PENDING');
    // The CI job learns it is held: pending, not released, exit 10.
    expect(readFileSync(outputs, 'utf8')).toBe('RELMGR_VERSION=1.0.1\nRELMGR_TAG=v1.0.1\nRELMGR_STATE=pending\nRELMGR_ENVIRONMENT=\nRELMGR_RELEASED=false\nRELMGR_EXIT=10\n');
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    const waited = await run(r, ['monitor', '--wait', '1m'], { context: { wallClock: clock, sleep: async (ms: number) => void (now += ms) } });
    expect(waited.code, waited.stderr).toBe(0);
    expect((await json(r, ['status'])).state).toBe('monitored');
  });
});

describe('relmgr close', () => {
  it('closes a monitored release with its note and outcome; status shows them; a second close is refused and records nothing', async () => {
    const r = project(CONFIG);
    await through(r, [['plan'], ['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production'], ['monitor']]);
    const outputs = join(r.home, 'close.env');
    const out = await json(r, ['close', '--note', 'smooth', '--dotenv', outputs]);
    expect(readFileSync(outputs, 'utf8')).toBe('RELMGR_VERSION=1.0.1\nRELMGR_TAG=v1.0.1\nRELMGR_STATE=closed\nRELMGR_ENVIRONMENT=\nRELMGR_RELEASED=true\n');
    expect(out).toMatchObject({ version: '1.0.1', state: 'closed', outcome: 'monitored', note: 'smooth', closedBy: { name: 'Test Author' }, steps: 1 });
    const status = await run(r, ['status']);
    expect(status.stdout).toContain('closed by Test Author');
    expect(status.stdout).toContain('outcome: monitored');
    expect(status.stdout).toContain('smooth');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).closed).toMatchObject({ note: 'smooth', outcome: 'monitored' });
    const before = r.git('rev-parse', 'relmgr/ledger');
    const again = await run(r, ['close', '--note', 'again']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/error\[E_STATE\]: 1\.0\.1 is already closed by Test Author <[^>]+> at .* UTC \(outcome: monitored\)/);
    expect(r.git('rev-parse', 'relmgr/ledger')).toBe(before);
  });

  it('is refused before the release reached production, and on an abandoned release', async () => {
    const r = project(CONFIG);
    await through(r, [['plan'], ['cut'], ['test']]);
    const early = await run(r, ['close']);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('1.0.1 cannot be closed yet (tested)');
    expect(early.stderr).toContain('hint: next: relmgr deploy staging');
    await through(r, [['abort', '--reason', 'no']]);
    const abandoned = await run(r, ['close']);
    expect(abandoned.code).toBe(3);
    expect(abandoned.stderr).toContain('release 1.0.1 was abandoned: there is nothing to close');
  });

  it('closes a tested release when no environment is configured, without a note in CI', async () => {
    const r = project('schema: relmgr/v1\n');
    await through(r, [['plan'], ['cut'], ['test']]);
    const out = await run(r, ['close'], { env: { CI: 'true' } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Closed 1.0.1 (outcome: tested)');
    expect((await json(r, ['status', '--release', '1.0.1'])).closed).toMatchObject({ note: null, outcome: 'tested' });
    expect(existsSync(join(r.dir, '.relmgr'))).toBe(true);
  });

  it('two clones closing at once: exactly one close is recorded, the other is refused', async () => {
    const r = project(CONFIG.replace('    steps: [ { name: review, run: "true" } ]\n', '    steps: [ { name: review, run: "sleep 0.2" } ]\n'));
    await through(r, [['plan'], ['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]);
    const other = otherClone(r);
    const [a, b] = await Promise.all([start(r.dir, r.env, ['close', '--note', 'a']), start(other.dir, r.env, ['close', '--note', 'b'])]);
    expect([a.code, b.code].sort(), `${a.stderr}\n${b.stderr}`).toEqual([0, 3]);
    const closes = execFileSync('git', ['ls-tree', '-r', '--name-only', 'refs/heads/relmgr/ledger'], { cwd: r.bare, encoding: 'utf8' }).split('\n').filter((path) => path.endsWith('release.closed.json'));
    expect(closes).toHaveLength(1);
  });

  it.skipIf(!hasPty)('asks for the review note on a terminal when --note is not given', async () => {
    const r = project(CONFIG);
    await through(r, [['plan'], ['cut'], ['test'], ['deploy', 'staging'], ['deploy', 'production']]);
    const result = relmgrInPty([['Review note for 1.0.1', 'no surprises\r']], ['close'], { cwd: r.dir, env: { ...r.env, CI: '', TERM: 'xterm' } });
    expect(result.waiting_for, result.output).toBeUndefined();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Closed 1.0.1 (outcome: deployed)');
    expect((await json(r, ['status'])).closed).toMatchObject({ note: 'no surprises', outcome: 'deployed' });
  });
});
