import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hasPty, relmgrInPty } from '../helpers/pty.js';
import { relmgr, run, useProjects } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);

const CONFIG = `schema: relmgr/v1
groups:
  sre: [dave@example.com]
phases:
  deploy: { order: [staging, production] }
  test:
    steps: [ { name: unit, run: "test ! -f .marker-broken" } ]
  monitor:
    steps: [ { name: health, run: "true" } ]
environments:
  staging: { deploy: [ { run: "true" } ] }
  production: { deploy: [ { run: "true" } ] }
`;
const GATED = CONFIG.replace('  production: { deploy: [ { run: "true" } ] }', '  production:\n    entry: [ { approval: { id: signoff, rules: [ { from: sre, min: 1 } ] } } ]\n    deploy: [ { run: "true" } ]');

describe('relmgr release', () => {
  it('in CI takes a fresh release as far as its first pending gate and exits 10, with the CI outputs and where it stopped', async () => {
    const r = project(GATED);
    expect((await run(r, ['plan'])).code).toBe(0);
    const outputs = join(r.home, 'github-output');
    writeFileSync(outputs, '');
    const summary = join(r.home, 'step-summary');
    const out = relmgr(r, ['release'], { env: { CI: 'true', GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: summary } });
    expect(out.code, out.stderr).toBe(10);
    expect(out.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}▸ build \(1\.0\.1\)$/m);
    expect(out.stderr).toContain('▸ deploy production (1.0.1)');
    expect(out.stderr).toContain('ran build, test, deploy staging; stopped at deploy production of 1.0.1');
    expect(out.stderr).toContain('error[E_GATE_PENDING]');
    expect(out.stderr).toContain('relmgr approve --env production --gate signoff');
    // The hint names the walk: running it again goes on from the gate.
    expect(out.stderr).toMatch(/hint: .*then run relmgr release again once it passes, or wait for it: relmgr release --wait/);
    // Held at a gate: the same outputs as deploy production would write there, the approve command as next.
    expect(readFileSync(outputs, 'utf8')).toBe('version=1.0.1\ntag=v1.0.1\nstate=pending\nenvironment=production\nreleased=false\nexit=10\n');
    const table = readFileSync(summary, 'utf8');
    expect(table).toContain('### relmgr release: 1.0.1 held at a gate');
    expect(table).toMatch(/\| next \| .*relmgr approve --env production --gate signoff.* \|/);
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout) as { state: string };
    expect(status.state).toBe('deploying');
  });

  it('--json: one document with the phases that ran and where it stopped', async () => {
    const r = project(GATED);
    await run(r, ['plan']);
    const out = await run(r, ['release', '--json'], { env: { CI: 'true' } });
    expect(out.code).toBe(10);
    const doc = JSON.parse(out.stdout) as { error: Record<string, unknown> };
    expect(doc.error).toMatchObject({ code: 'E_GATE_PENDING', stoppedAt: 'deploy production', phases: [{ phase: 'build' }, { phase: 'test' }, { phase: 'deploy', env: 'staging' }] });
  });

  it('walks to the close and stops before it without --note; --note closes it', async () => {
    const r = project(CONFIG);
    await run(r, ['plan']);
    const out = await run(r, ['release']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('Release 1.0.1 is monitored: ran build, test, deploy staging, deploy production, monitor; stopped before the close (it records a review note: give --note, or run it yourself)\nNext: relmgr close --note "…"\n');
    const again = await run(r, ['release', '--note', 'fine', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ version: '1.0.1', state: 'closed', phases: [{ phase: 'feedback' }], next: 'relmgr plan' });
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).closed).toMatchObject({ note: 'fine', outcome: 'monitored' });
  });

  it('stops at a failure with its exit code, and the next release run continues the failed phase', async () => {
    const r = project(CONFIG);
    await run(r, ['plan']);
    writeFileSync(join(r.dir, '.marker-broken'), '');
    const outputs = join(r.home, 'github-output');
    writeFileSync(outputs, '');
    const failed = await run(r, ['release'], { env: { GITHUB_OUTPUT: outputs } });
    expect(failed.code).toBe(20);
    expect(readFileSync(outputs, 'utf8')).toBe('version=1.0.1\ntag=v1.0.1\nstate=failed\nenvironment=\nreleased=false\nexit=20\n');
    expect(failed.stderr).toContain('ran build; stopped at test of 1.0.1');
    rmSync(join(r.dir, '.marker-broken'));
    writeFileSync(outputs, '');
    const out = await run(r, ['release', '--note', 'second try'], { env: { GITHUB_OUTPUT: outputs } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('▸ test (1.0.1), continued');
    expect(out.stdout).toContain('Release 1.0.1 is closed: ran test (resumed), deploy staging, deploy production, monitor, feedback');
    // Moved on without stopping at a gate or a failure: released=true.
    expect(readFileSync(outputs, 'utf8')).toBe('version=1.0.1\ntag=v1.0.1\nstate=closed\nenvironment=production\nreleased=true\n');
  });

  it('--dry-run lists the phases it would run and runs nothing', async () => {
    const r = project(CONFIG);
    await run(r, ['plan']);
    const before = r.git('rev-parse', 'relmgr/ledger');
    const dotenv = join(r.home, 'dry.env');
    const out = await run(r, ['release', '--dry-run', '--dotenv', dotenv]);
    expect(out.code, out.stderr).toBe(0);
    // Nothing recorded: state none, released=false.
    expect(readFileSync(dotenv, 'utf8')).toBe('RELMGR_VERSION=1.0.1\nRELMGR_TAG=v1.0.1\nRELMGR_STATE=none\nRELMGR_ENVIRONMENT=\nRELMGR_RELEASED=false\n');
    expect(out.stdout).toContain('Would walk 1.0.1 (planned):\n  1. build  (relmgr cut)\n  2. test  (relmgr test)\n  3. deploy staging  (relmgr deploy staging)\n  4. deploy production  (relmgr deploy production)\n  5. monitor  (relmgr monitor)\nthen stop before the close');
    const json = JSON.parse((await run(r, ['release', '--dry-run', '--json', '--note', 'x'])).stdout) as { phases: { phase: string }[] };
    expect(json.phases.map((p) => p.phase)).toEqual(['build', 'test', 'deploy', 'deploy', 'monitor', 'feedback']);
    expect(r.git('rev-parse', 'relmgr/ledger')).toBe(before);
    expect(r.git('tag', '--list', 'v1.0.1')).toBe('');
  });

  it('in CI: timestamped lines for each phase, each gate that passed, and the --wait it sat out', async () => {
    const r = project(CONFIG.replace('  staging: { deploy', '  staging: { entry: [ { wait: 1s } ], deploy'));
    await run(r, ['plan']);
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    const out = await run(r, ['release', '--wait', '1m'], { env: { CI: 'true' }, context: { wallClock: clock, sleep: async (ms: number) => void (now += ms) } });
    expect(out.code, out.stderr).toBe(0);
    const stamp = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  ';
    expect(out.stderr).toMatch(new RegExp(`^${stamp}▸ deploy staging \\(1\\.0\\.1\\)$`, 'm'));
    expect(out.stderr).toMatch(new RegExp(`^${stamp}… waiting: environments\\.staging\\.entry wait 1s`, 'm'));
    expect(out.stderr).toMatch(new RegExp(`^${stamp}waiting 0\\.0s of 1m$`, 'm'));
    expect(out.stderr).toMatch(new RegExp(`^${stamp}✓ wait 1s$`, 'm'));
  });

  it.skipIf(!hasPty)('on a terminal: a heading per phase, a live waiting line, and the command that would satisfy the gate', () => {
    const r = project(GATED.replace('  staging: { deploy', '  staging: { entry: [ { wait: 1s } ], deploy'));
    relmgr(r, ['plan']);
    const result = relmgrInPty([['--gate signoff', '\x03']], ['release', '--wait', '5m'], { cwd: r.dir, env: { ...r.env, CI: '', TERM: 'xterm' } });
    expect(result.code, result.output).toBe(130);
    expect(result.output).toContain('▸ deploy staging (1.0.1)\r\n');
    expect(result.output).toMatch(/⠋ waiting 0\.0s of (5m|4m\d+s)/);
    expect(result.output).toContain('✓ wait 1s');
    // The live line is cleared before the next line: never `⠋ waiting 0.0s of 5m✓ wait 1s`.
    expect(result.output).not.toMatch(/of (5m|4m\d+s)✓/);
    expect(result.output).toContain('\r\x1b[2K✓ wait 1s');
    expect(result.output).toContain('▸ deploy production (1.0.1)');
    expect(result.output).toMatch(/… waiting: environments\.production\.entry approval signoff: .* — relmgr approve --env production --gate signoff/);
  });

  it.skipIf(!hasPty)('on a terminal, asks a person who may decide the gate it stops at, and goes on', () => {
    const r = project(GATED);
    relmgr(r, ['plan']);
    const dave = { GIT_COMMITTER_EMAIL: 'dave@example.com', GIT_COMMITTER_NAME: 'dave', GIT_AUTHOR_EMAIL: 'dave@example.com', GIT_AUTHOR_NAME: 'dave' };
    const script = [
      ['Approve 1.0.1 (signoff)?', '\r'],
      ['Comment (optional)', 'go\r'],
    ];
    const result = relmgrInPty(script as [string, string][], ['release'], { cwd: r.dir, env: { ...r.env, ...dave, CI: '', TERM: 'xterm' } });
    expect(result.waiting_for, result.output).toBeUndefined();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('✓ approval signoff');
    expect(result.output).toContain('Release 1.0.1 is monitored: ran build, test, deploy staging, deploy production, monitor');
  });
});
