import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';

/* plan --target, the next train by default, and status's due/overdue/met/missed with a fake wall clock. */

type Project = TestRepo & { bare: string };
const project = useProjects(afterEach, afterAll);
const at = (iso: string): { context: Partial<Context> } => ({ context: { wallClock: { now: () => new Date(iso) } } });

const ENVS = `environments:
  staging: { deploy: [ { run: "true" } ] }
  production: { tier: production, deploy: [ { run: "true" } ] }
phases: { deploy: { order: [staging, production] } }
`;
const BERLIN = `schema: relmgr/v1\ncalendars: { timezone: Europe/Berlin }\n${ENVS}`;
const TRAINS = `${BERLIN}schedule:\n  trains:\n    weekly: { cron: "0 10 * * TUE", code_freeze: 2d }\n    monthly: { cron: "0 9 1 * *" }\n`;

const planned = async (r: Project): Promise<Record<string, unknown>> => {
  const events = JSON.parse((await run(r, ['ledger', 'log', '--json'])).stdout) as Array<{ type: string; data: Record<string, unknown> }>;
  return events.findLast((e) => e.type === 'release.planned')?.data ?? {};
};

async function through(r: Project, commands: string[][], iso: string): Promise<void> {
  for (const args of commands) {
    const out = await run(r, args, at(iso));
    expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
  }
}

describe('plan --target', () => {
  it.each([
    ['a day: the end of it in the calendar zone', '2026-12-15', '2026-12-15T22:59:00Z', 'Target: Tue 15 Dec 2026 23:59 Europe/Berlin (22:59 UTC), in 5 days'],
    ['a local time', '2026-12-15T17:00', '2026-12-15T16:00:00Z', 'Target: Tue 15 Dec 2026 17:00 Europe/Berlin (16:00 UTC), in 5 days'],
    ['an RFC 3339 instant', '2026-12-11T02:00:00+01:00', '2026-12-11T01:00:00Z', 'Target: Fri 11 Dec 2026 02:00 Europe/Berlin (01:00 UTC), in 9 hours'],
  ])('%s: recorded as data.target in UTC and shown in the zone', async (_name, given, recorded, line) => {
    const r = project(BERLIN);
    const out = await run(r, ['plan', '--target', given], at('2026-12-10T16:00:00Z'));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`\n  ${line}\n`);
    expect(await planned(r)).toMatchObject({ target: recorded });
    expect((await planned(r)).train).toBeUndefined();
  });

  it.each([
    ['unparsable', 'next tuesday', '--target "next tuesday" is not a date: use YYYY-MM-DD (the end of that day), YYYY-MM-DDTHH:MM (in the calendar time zone) or an RFC 3339 instant'],
    ['in the past', '2026-12-09', '--target 2026-12-09 (Wed 9 Dec 2026 23:59 Europe/Berlin (22:59 UTC)) is in the past'],
    ['no such day', '2026-02-30', '--target "2026-02-30" is not a date'],
  ])('%s: E_USAGE (exit 2) naming the formats, nothing recorded', async (_name, given, message) => {
    const r = project(BERLIN);
    const out = await run(r, ['plan', '--target', given], at('2026-12-10T16:00:00Z'));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`error[E_USAGE]: ${message}`);
    expect(out.stderr).toContain('hint: relmgr plan --target 2026-12-17');
    expect(r.git('for-each-ref', 'refs/heads/relmgr')).toBe('');
  });

  it('without --target a normal release aims at the soonest train; --dry-run and --json show it; emergencies get none', async () => {
    const r = project(TRAINS);
    const dry = await run(r, ['plan', '--dry-run'], at('2026-12-02T00:00:00Z'));
    expect(dry.stdout).toContain('\n  Target: Tue 8 Dec 2026 10:00 Europe/Berlin (09:00 UTC), in 6 days\n  Train: weekly, departs Tue 8 Dec 2026 10:00 Europe/Berlin (09:00 UTC), code freeze from Sun 6 Dec 10:00\n');
    const json = JSON.parse((await run(r, ['plan', '--dry-run', '--json'], at('2026-11-30T12:00:00Z'))).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ planned: false, target: '2026-12-01T08:00:00Z', train: 'monthly' });
    const emergency = JSON.parse((await run(r, ['plan', '--dry-run', '--json', '--track', 'emergency', '--reason', 'down'], at('2026-12-02T00:00:00Z'))).stdout) as Record<string, unknown>;
    expect(emergency.target).toBeUndefined();
    expect(emergency.train).toBeUndefined();
    expect((await run(r, ['plan'], at('2026-12-02T00:00:00Z'))).code).toBe(0);
    expect(await planned(r)).toMatchObject({ target: '2026-12-08T09:00:00Z', train: 'weekly' });
  });
});

describe('plan during a code freeze', () => {
  const FROZEN = `${BERLIN.replace(/^phases:.*\n/m, '')}schedule:\n  trains:\n    weekly: { cron: "0 10 * * TUE", code_freeze: 2d }\nphases:\n  deploy: { order: [staging, production] }\n  build: { entry: [ { freeze: weekly-code-freeze } ] }\n`;

  it('aims at the next train whose code freeze has not begun, and says so; cut is held by the freeze, not past its own deadline', async () => {
    const r = project(FROZEN);
    const out = await run(r, ['plan'], at('2026-11-30T09:00:00Z'));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('\n  Target: Tue 8 Dec 2026 10:00 Europe/Berlin (09:00 UTC), in 8 days\n  the weekly train of Tue 1 Dec is in its code freeze: aiming at Tue 8 Dec 10:00\n  Train: weekly, departs Tue 8 Dec 2026 10:00');
    expect(await planned(r)).toMatchObject({ target: '2026-12-08T09:00:00Z', train: 'weekly' });
    const cut = await run(r, ['cut'], at('2026-11-30T09:00:00Z'));
    expect(cut.code).toBe(10);
    expect(cut.stderr).toContain('weekly-code-freeze until Tue 1 Dec 2026 10:00');
    expect((await run(r, ['cut'], at('2026-12-01T09:00:00Z'))).code).toBe(0);
  });

  it('before the code freeze begins, the coming train; an explicit --target inside a code freeze is taken, with a warning', async () => {
    const r = project(FROZEN);
    const before = await run(r, ['plan', '--dry-run', '--json'], at('2026-11-29T08:59:00Z'));
    expect(JSON.parse(before.stdout)).toMatchObject({ target: '2026-12-01T09:00:00Z', train: 'weekly' });
    expect(before.stderr).not.toContain('code freeze');
    const given = await run(r, ['plan', '--target', '2026-12-01T09:00'], at('2026-11-30T09:00:00Z'));
    expect(given.code, given.stderr).toBe(0);
    expect(given.stderr).toContain('warning: the weekly train of Tue 1 Dec is in its code freeze (Sun 29 Nov 10:00 until Tue 1 Dec 10:00): a phase gated on weekly-code-freeze waits until Tue 1 Dec 10:00\n');
    expect(await planned(r)).toMatchObject({ target: '2026-12-01T08:00:00Z' });
  });

  it('a --target in the daylight-saving gap is moved forward an hour, with a warning', async () => {
    const r = project(BERLIN);
    const out = await run(r, ['plan', '--target', '2027-03-28T02:30'], at('2027-03-20T12:00:00Z'));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('warning: --target 2027-03-28T02:30: 02:30 does not exist in Europe/Berlin that day (the clocks skip it: daylight saving time begins); taken as 03:30\n');
    expect(out.stdout).toContain('Target: Sun 28 Mar 2027 03:30 Europe/Berlin (01:30 UTC)');
  });
});

describe('status against the target', () => {
  it.each([
    ['due in days', '2026-12-12T16:00:00Z', 'due', 'due in 3 days'],
    ['due in hours', '2026-12-15T18:00:00Z', 'due', 'due in 5 hours'],
    ['overdue', '2026-12-17T23:00:00Z', 'overdue', 'overdue by 2 days'],
  ])('%s until production has it', async (_name, now, state, text) => {
    const r = project(TRAINS);
    await through(r, [['plan', '--target', '2026-12-15']], '2026-12-10T16:00:00Z');
    const status = await run(r, ['status'], at(now));
    expect(status.stdout).toContain(`\n  ${text} — target Tue 15 Dec 2026 23:59 Europe/Berlin (22:59 UTC)\n`);
    expect(status.stdout).toMatch(/\n {2}Next train: (weekly|monthly) — /);
    const json = JSON.parse((await run(r, ['status', '--json'], at(now))).stdout) as Record<string, unknown>;
    expect(json.schedule).toEqual({ target: '2026-12-15T22:59:00Z', train: null, state, text, deployedAt: null });
  });

  it('met or missed once a production-tier deploy succeeded (a staging deploy does not count); the next train with its code freeze', async () => {
    const r = project(TRAINS);
    await through(r, [['plan', '--target', '2026-12-15'], ['cut'], ['test']], '2026-12-10T16:00:00Z');
    await through(r, [['deploy', 'staging']], '2026-12-14T10:00:00Z');
    expect((await run(r, ['status'], at('2026-12-17T10:00:00Z'))).stdout).toContain('  overdue by 1 day — target');
    await through(r, [['deploy', 'production']], '2026-12-14T22:59:00Z');
    const status = await run(r, ['status'], at('2026-12-20T12:00:00Z'));
    expect(status.stdout).toContain('\n  met its target (1 day early) — target Tue 15 Dec 2026 23:59 Europe/Berlin (22:59 UTC)\n');
    // Sun 20 Dec 13:00 local: the code freeze began at 10:00, so it is named by its end.
    expect(status.stdout).toContain('\n  Next train: weekly — Tue 22 Dec 2026 10:00 Europe/Berlin (09:00 UTC), in its code freeze until Tue 22 Dec 10:00\n');
    const json = JSON.parse((await run(r, ['status', '--json'], at('2026-12-20T12:00:00Z'))).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ schedule: { state: 'met', deployedAt: '2026-12-14T22:59:00Z' }, nextTrain: { train: 'weekly', departs: '2026-12-22T09:00:00Z', codeFreezeFrom: '2026-12-20T09:00:00Z' } });
  });

  it('an abandoned release is neither due nor overdue: its target was not reached', async () => {
    const r = project(TRAINS);
    await through(r, [['plan', '--target', '2026-12-15'], ['abort', '--reason', 'not needed']], '2026-12-10T16:00:00Z');
    const status = await run(r, ['status', '--release', '1.0.1'], at('2026-12-17T10:00:00Z'));
    expect(status.stdout).toContain('\n  target was Tue 15 Dec 2026 23:59 Europe/Berlin (22:59 UTC), not reached: abandoned\n');
    expect(status.stdout).not.toMatch(/due in|overdue/);
    const json = JSON.parse((await run(r, ['status', '--release', '1.0.1', '--json'], at('2026-12-17T10:00:00Z'))).stdout) as Record<string, unknown>;
    expect(json.schedule).toEqual({ target: '2026-12-15T22:59:00Z', train: null, state: 'not-reached', text: 'target was Tue 15 Dec 2026 23:59 Europe/Berlin (22:59 UTC), not reached: abandoned', deployedAt: null });
  });

  it('during a code freeze, the next train is "in its code freeze until" its departure (not "from" a past time)', async () => {
    const r = project(TRAINS);
    await through(r, [['plan', '--target', '2026-12-15']], '2026-12-10T16:00:00Z');
    const status = await run(r, ['status'], at('2026-12-14T12:00:00Z'));
    expect(status.stdout).toContain('\n  Next train: weekly — Tue 15 Dec 2026 10:00 Europe/Berlin (09:00 UTC), in its code freeze until Tue 15 Dec 10:00\n');
  });

  it('missed by hours', async () => {
    const r = project(BERLIN);
    await through(r, [['plan', '--target', '2026-12-15T12:00'], ['cut'], ['test'], ['deploy', 'staging']], '2026-12-10T16:00:00Z');
    await through(r, [['deploy', 'production']], '2026-12-15T16:00:00Z');
    const status = await run(r, ['status'], at('2026-12-20T12:00:00Z'));
    expect(status.stdout).toContain('\n  missed its target by 5 hours — target Tue 15 Dec 2026 12:00 Europe/Berlin (11:00 UTC)\n');
    expect(status.stdout).not.toContain('Next train');
  });
});
