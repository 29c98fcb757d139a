import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import { capture } from '../helpers/context.js';
import { otherClone, type Project } from '../helpers/hints.js';
import { hasPty, relmgrInPty } from '../helpers/pty.js';
import { BIN, run, useProjects } from '../helpers/repo.js';

const project = useProjects(afterEach, afterAll);

const HEAD = `schema: relmgr/v1
versioning: { branches: [main] }
groups:
  release-managers: [rm1@example.com, rm2@example.com]
  sre: [dave@example.com, erin@example.com]
calendars:
  timezone: Europe/Berlin
  freezes:
    weekend: { start: "0 16 * * FRI", end: "0 8 * * MON" }
  windows:
    office-hours: { days: [mon, tue, wed, thu], from: "09:00", to: "16:00" }
`;

const CHECKLIST = `${HEAD}phases:
  plan:
    exit:
      - checklist: { id: readiness, who: release-managers, items: [ { id: notes, text: "Release notes reviewed" } ] }
`;

const APPROVAL = `${HEAD}phases:
  build:
    entry:
      - approval: { id: signoff, rules: [ { from: sre, min: 2 } ] }
`;

const FREEZE = `${HEAD}phases:
  build:
    entry:
      - freeze: weekend
tracks:
  emergency:
    override_freezes: [weekend]
`;

const WINDOW = `${HEAD}phases:
  build:
    entry:
      - window: office-hours
`;

const WAIT = `${HEAD}phases:
  test:
    steps:
      - { name: count, run: "echo run >> .marker-runs", idempotent: true }
    exit:
      - wait: 30m
`;

/** A person: their git identity for one command. */
const as = (email: string): Record<string, string> => {
  const name = email.split('@')[0] as string;
  return { GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_NAME: name };
};

/** A fixed wall clock (what gates compare against); events recorded meanwhile sort after it. */
const at = (iso: string): Partial<Context> => ({ wallClock: { now: () => new Date(iso) } });

const ledger = async (r: Project): Promise<Array<{ type: string; data: Record<string, unknown>; actor: { email: string } }>> =>
  JSON.parse((await run(r, ['ledger', 'log', '--json'])).stdout);

const statusJson = async (r: Project) => JSON.parse((await run(r, ['status', '--json'])).stdout) as { state: string; gates: Array<Record<string, unknown>>; phases: Record<string, { state: string } | undefined> };

describe('gates in CI (no terminal)', () => {
  it('a checklist at the plan exit holds cut with exit 10 (nothing started) until an eligible person attests from another clone', async () => {
    const r = project(CHECKLIST);
    const planned = await run(r, ['plan'], { env: as('rm1@example.com') });
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/Next: relmgr attest --checklist readiness --item notes \(by rm1@example\.com, rm2@example\.com\); then relmgr cut\n/);
    const held = await run(r, ['cut'], { env: as('ci@example.com') });
    expect(held.code, held.stderr).toBe(10);
    expect(held.stderr).toContain('error[E_GATE_PENDING]');
    expect(held.stderr).toMatch(/phases\.plan\.exit checklist readiness: .*notes.* — relmgr attest --checklist readiness --item notes/);
    expect(held.stderr).toMatch(/hint: .*relmgr cut --wait/);
    const json = JSON.parse((await run(r, ['cut', '--json'], { env: as('ci@example.com') })).stdout);
    expect(json.error.code).toBe('E_GATE_PENDING');
    expect(json.error.gates).toEqual([expect.objectContaining({ id: 'readiness', kind: 'checklist', where: 'phases.plan.exit', state: 'pending', command: 'relmgr attest --checklist readiness --item notes' })]);
    // Waiting records no attempt: however often CI asks, the build has not started.
    expect((await statusJson(r)).phases.build?.state).toBe('pending');
    const other = otherClone(r);
    const attest = await run(other, ['attest', '--checklist', 'readiness', '--item', 'notes'], { env: as('rm2@example.com') });
    expect(attest.code, attest.stderr).toBe(0);
    const cut = await run(r, ['cut'], { env: as('ci@example.com') });
    expect(cut.code, cut.stderr).toBe(0);
    const types = (await ledger(r)).map((e) => e.type);
    expect(types.filter((t) => t === 'gate.opened')).toHaveLength(1);
    expect(types).toContain('gate.passed');
  });

  it('an approval needs two eligible people, never the initiator; a rejection stops the release with exit 11', async () => {
    const r = project(APPROVAL);
    const planned = await run(r, ['plan'], { env: as('dave@example.com') });
    expect(planned.code).toBe(0);
    // dave is one of the two people the rule needs, and may not approve his own release.
    expect(planned.stderr).toContain('warning: approval signoff (phases.build.entry) needs 2 of sre and dave@example.com planned this release (the initiator may not approve): it can never pass');
    expect((await run(r, ['cut'])).stderr).not.toContain('warning');
    expect((await run(r, ['cut'])).code).toBe(10);
    const self = await run(otherClone(r), ['approve', '--gate', 'signoff'], { env: as('dave@example.com') });
    expect(self.code).toBe(3);
    expect((await run(otherClone(r), ['approve', '--gate', 'signoff'], { env: as('erin@example.com') })).code).toBe(0);
    const one = await run(r, ['cut']);
    expect(one.code).toBe(10);
    expect(one.stderr).toMatch(/signoff/);
    const no = await run(otherClone(r), ['reject', '--gate', 'signoff', '--comment', 'not this week'], { env: as('erin@example.com') });
    expect(no.code, no.stderr).toBe(3); // erin approved already: she decides once
    const r2 = project(APPROVAL.replace('min: 2', 'min: 1').replace('[dave@example.com, erin@example.com]', '[dave@example.com, erin@example.com, frank@example.com]'));
    expect((await run(r2, ['plan'], { env: as('dave@example.com') })).code).toBe(0);
    expect((await run(otherClone(r2), ['reject', '--gate', 'signoff', '--comment', 'not this week'], { env: as('frank@example.com') })).code).toBe(0);
    const rejected = await run(r2, ['cut']);
    expect(rejected.code, rejected.stderr).toBe(11);
    expect(rejected.stderr).toContain('error[E_GATE_REJECTED]');
    expect(rejected.stderr).toContain('not this week');
    const after = await run(otherClone(r2), ['approve', '--gate', 'signoff'], { env: as('erin@example.com') });
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('error[E_GATE_CLOSED]');
    expect((await run(r2, ['status'])).stdout).not.toContain('→ relmgr approve');
    expect(JSON.parse((await run(r2, ['status', '--json'])).stdout).gates.map((g: { command?: string }) => g.command)).toEqual([undefined]);
    expect((await ledger(r2)).map((e) => e.type)).toContain('gate.rejected');
    expect(JSON.parse((await run(r2, ['status', '--json'])).stdout).next).toMatch(/^relmgr plan --replace --reason "…" .* \(approval signoff rejected it\)$/);
  });

  it("once a gate stopped the plan, a decision on any of its gates is refused", async () => {
    const r = project(`${APPROVAL.replace('min: 2', 'min: 1')}environments:\n  production:\n    entry:\n      - approval: { id: prod, rules: [ { from: sre, min: 1 } ] }\n`);
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    expect((await run(otherClone(r), ['reject', '--gate', 'signoff', '--comment', 'no'], { env: as('dave@example.com') })).code).toBe(0);
    const later = await run(otherClone(r), ['approve', '--env', 'production', '--gate', 'prod'], { env: as('erin@example.com') });
    expect(later.code).toBe(3);
    expect(later.stderr).toMatch(/error\[E_GATE_CLOSED\]: approval signoff \(phases\.build\.entry\) of 1\.0\.1 was rejected: .*approval prod will never be met for this plan/);
  });

  it('a release rejected after its cut is replaced by a new commit: Next says to commit the fix first', async () => {
    const r = project(`${HEAD}phases:\n  test:\n    exit:\n      - approval: { id: qa, rules: [ { from: sre, min: 1 } ] }\n`);
    for (const args of [['plan'], ['cut']]) expect((await run(r, args)).code).toBe(0);
    expect((await run(otherClone(r), ['reject', '--gate', 'qa', '--comment', 'flaky'], { env: as('dave@example.com') })).code).toBe(0);
    const test = await run(r, ['test']);
    expect(test.code).toBe(11);
    expect(test.stderr).toContain('hint: see who decided what with: relmgr status; then commit the fix, then relmgr plan --replace --reason "…"');
    expect(JSON.parse((await run(r, ['status', '--json'])).stdout).next).toMatch(/^commit the fix, then relmgr plan --replace --reason "…"/);
  });

  it('passes once two eligible people approved from other clones, and a new plan asks afresh', async () => {
    const r = project(APPROVAL);
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    for (const who of ['dave@example.com', 'erin@example.com']) expect((await run(otherClone(r), ['approve', '--comment', 'ok'], { env: as(who) })).code).toBe(0);
    const status = await statusJson(r);
    expect(status.gates).toEqual([expect.objectContaining({ id: 'signoff', kind: 'approval', state: 'passed' })]);
    expect((await run(r, ['status'])).stdout).toMatch(/approved by dave <dave@example\.com>/);
    r.commit('fix: another', { file: 'c.txt' });
    r.git('push', '-q', 'origin', 'main');
    expect((await run(r, ['plan', '--replace'], { env: as('rm1@example.com') })).code).toBe(0);
    expect((await run(r, ['cut'])).code).toBe(10);
  });

  it('a freeze active now is pending with when it ends; the emergency track overrides it, and the ledger says so', async () => {
    const r = project(FREEZE);
    expect((await run(r, ['plan'])).code).toBe(0);
    const saturday = at('2026-12-05T12:00:00Z');
    const held = await run(r, ['cut'], { context: saturday });
    expect(held.code, held.stderr).toBe(10);
    expect(held.stderr).toMatch(/freeze weekend: frozen by weekend until Mon 7 Dec 2026 08:00 Europe\/Berlin \(07:00 UTC\)/);
    expect((await run(r, ['plan', '--replace', '--track', 'emergency', '--reason', 'outage'])).code).toBe(0);
    const cut = await run(r, ['cut'], { context: saturday });
    expect(cut.code, cut.stderr).toBe(0);
    const skipped = (await ledger(r)).find((e) => e.type === 'gate.skipped');
    expect(skipped?.data).toMatchObject({ where: 'phases.build.entry', gate: 'weekend', state: 'pending', overridden: ['weekend'] });
    expect((await run(r, ['cut'], { context: at('2026-12-07T07:00:00Z') })).code).toBe(3); // already cut
  });

  it('a closed window is pending with when it opens; inside it the cut goes on', async () => {
    const r = project(WINDOW);
    expect((await run(r, ['plan'])).code).toBe(0);
    const held = await run(r, ['cut'], { context: at('2026-12-03T18:00:00Z') }); // Thursday 19:00 in Berlin
    expect(held.code).toBe(10);
    expect(held.stderr).toMatch(/outside window office-hours .*: opens Mon 7 Dec 2026 09:00 Europe\/Berlin \(08:00 UTC\)/);
    expect((await run(r, ['cut'], { context: at('2026-12-07T08:30:00Z') })).code).toBe(0);
  });

  it('several time gates: the hint names when all of them clear; --wait that ends before then stops at once', async () => {
    const r = project(FREEZE.replace('      - freeze: weekend\n', '      - freeze: weekend\n      - window: office-hours\n'));
    expect((await run(r, ['plan'])).code).toBe(0);
    const sunday = at('2026-12-06T21:00:00Z'); // the freeze ends Mon 07:00 UTC, the window opens Mon 08:00 UTC
    const held = await run(r, ['cut'], { context: sunday });
    expect(held.code).toBe(10);
    expect(held.stderr).toContain('hint: run relmgr cut again after 2026-12-07 08:00 UTC, or wait for them: relmgr cut --wait 11h1m');
    expect(JSON.parse((await run(r, ['status', '--json'], { context: sunday })).stdout).next).toBe('relmgr cut (not before 2026-12-07 08:00 UTC: freeze weekend, window office-hours)');
    expect((await run(r, ['cut', '--dry-run'], { context: sunday })).stderr).toContain('run relmgr cut again after 2026-12-07 08:00 UTC');
    let slept = 0;
    const short = await run(r, ['cut', '--wait', '5m'], { context: { ...sunday, sleep: async () => void (slept += 1) } });
    expect(short.code).toBe(10);
    expect(slept).toBe(0);
  });

  it('a wait behind a freeze starts when the freeze ends: the hint, Next and a short --wait know it', async () => {
    const r = project(FREEZE.replace('      - freeze: weekend\n', '      - freeze: weekend\n      - wait: 10m\n'));
    expect((await run(r, ['plan'])).code).toBe(0);
    const saturday = at('2026-12-05T12:00:00Z'); // the freeze ends Mon 07:00 UTC; the wait then runs to 07:10
    const held = await run(r, ['cut'], { context: saturday });
    expect(held.code).toBe(10);
    expect(held.stderr).toContain('run relmgr cut again after 2026-12-07 07:10 UTC');
    expect(JSON.parse((await run(r, ['status', '--json'], { context: saturday })).stdout).next).toBe('relmgr cut (not before 2026-12-07 07:10 UTC: freeze weekend, wait 10m)');
    let slept = 0;
    expect((await run(r, ['cut', '--wait', '2m'], { context: { ...saturday, sleep: async () => void (slept += 1) } })).code).toBe(10);
    expect(slept).toBe(0);
    const dry = await run(r, ['cut', '--dry-run'], { context: saturday });
    expect(dry.stderr).toMatch(/wait 10m: waits 10m once reached/);
  });

  it('a wait after the test steps holds the phase (gated); it completes in a later process without running the steps again', async () => {
    const r = project(WAIT);
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut'])).code).toBe(0);
    const first = await run(r, ['test'], { context: at('2026-12-01T10:00:00Z') });
    expect(first.code, first.stderr).toBe(10);
    expect(first.stderr).toMatch(/waiting 30m/);
    expect((await statusJson(r)).phases.test?.state).toBe('gated');
    const replace = await run(r, ['plan', '--replace', '--reason', 'new scope']);
    expect(replace.code).toBe(3);
    expect(replace.stderr).toMatch(/error\[E_STATE\]: nothing to replace 1\.0\.1 with: .*1\.0\.1 stays open \(cut\)/);
    expect((await run(r, ['test'], { context: at('2026-12-01T10:20:00Z') })).code).toBe(10);
    const later = await run(r, ['test'], { context: at('2026-12-01T10:31:00Z') });
    expect(later.code, later.stderr).toBe(0);
    expect(readFileSync(join(r.dir, '.marker-runs'), 'utf8')).toBe('run\n');
    expect((await statusJson(r)).state).toBe('tested');
  });

  it('gates are reached in order: a wait behind a pending checklist starts only once the checklist passed', async () => {
    const r = project(`${HEAD}phases:\n  test:\n    steps:\n      - { name: count, run: "echo run >> .marker-runs", idempotent: true }\n    exit:\n      - checklist: { id: ready, who: sre, items: [ { id: smoke, text: "Smoke tested" } ] }\n      - wait: 30m\n`);
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut'])).code).toBe(0);
    for (const when of ['2026-12-01T10:00:00Z', '2026-12-01T10:10:00Z']) {
      const held = await run(r, ['test'], { context: at(when) });
      expect(held.code).toBe(10);
      expect(held.stderr).toMatch(/phases\.test\.exit wait 30m: waits 30m once reached/);
    }
    const opened = (await ledger(r)).filter((e) => e.type === 'gate.opened').map((e) => e.data.gate);
    expect(opened).toEqual(['ready']);
    expect((await run(otherClone(r), ['attest', '--checklist', 'ready', '--item', 'smoke'], { env: as('dave@example.com'), context: at('2026-12-01T11:00:00Z') })).code).toBe(0);
    const soaking = await run(r, ['test'], { context: at('2026-12-01T11:00:10Z') });
    expect(soaking.code).toBe(10);
    expect(soaking.stderr).toMatch(/waiting 30m since 11:00:10 UTC/);
    const done = await run(r, ['test', '--json'], { context: at('2026-12-01T11:30:11Z') });
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ state: 'tested', steps: 1 });
  });

  it('--wait looks again (re-fetching the ledger) until another machine approves, then goes on', async () => {
    const r = project(APPROVAL.replace('min: 2', 'min: 1'));
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    let now = Date.parse('2026-12-01T10:00:00Z');
    let sleeps = 0;
    const context: Partial<Context> = {
      wallClock: { now: () => new Date(now) },
      sleep: async (ms) => {
        now += ms;
        sleeps += 1;
        if (sleeps === 2) expect((await run(otherClone(r), ['approve'], { env: as('erin@example.com') })).code).toBe(0);
      },
    };
    const cut = await run(r, ['cut', '--wait', '10m'], { context });
    expect(cut.code, cut.stderr).toBe(0);
    expect(cut.stderr).toMatch(/waiting: phases\.build\.entry approval signoff: .*relmgr approve --gate signoff/);
    expect(sleeps).toBe(2);
    const timeout = project(APPROVAL);
    expect((await run(timeout, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    const gaveUp = await run(timeout, ['cut', '--wait', '1m'], { context: { wallClock: { now: () => new Date(now) }, sleep: async (ms) => void (now += ms) } });
    expect(gaveUp.code).toBe(10);
    expect((await run(r, ['cut', '--wait', 'soon'])).code).toBe(2);
  });

  it('an approval not given within its timeout times out: exit 12, recorded once', async () => {
    const r = project(APPROVAL.replace('min: 2 } ] }', 'min: 2 } ], timeout: 1h }'));
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    expect((await run(r, ['cut'], { context: at('2026-12-01T10:00:00Z') })).code).toBe(10);
    const late = await run(r, ['cut', '--json'], { context: at('2026-12-01T11:00:01Z') });
    expect(late.code).toBe(12);
    expect(JSON.parse(late.stdout).error).toMatchObject({ code: 'E_GATE_TIMED_OUT', gates: [expect.objectContaining({ id: 'signoff', state: 'timed_out' })] });
    expect((await run(r, ['cut'], { context: at('2026-12-01T12:00:00Z') })).code).toBe(12);
    expect((await ledger(r)).filter((e) => e.type === 'gate.timed_out')).toHaveLength(1);
    const lateApproval = await run(otherClone(r), ['approve', '--gate', 'signoff'], { env: as('dave@example.com'), context: at('2026-12-01T12:01:00Z') });
    expect(lateApproval.code).toBe(3);
    expect(lateApproval.stderr).toMatch(/error\[E_GATE_CLOSED\]: approval signoff \(phases\.build\.entry\) of 1\.0\.1 timed out/);
    expect((await ledger(r)).filter((e) => e.type === 'approval.granted')).toHaveLength(0);
  });

  it('the emergency track skips the gates its config names, recording the state each had', async () => {
    const r = project(`${WAIT}tracks:\n  emergency:\n    skip: [test.exit]\n`);
    expect((await run(r, ['plan', '--track', 'emergency', '--reason', 'outage'])).code).toBe(0);
    expect((await run(r, ['cut'])).code).toBe(0);
    const test = await run(r, ['test'], { context: at('2026-12-01T10:00:00Z') });
    expect(test.code, test.stderr).toBe(0);
    expect((await ledger(r)).find((e) => e.type === 'gate.skipped')?.data).toMatchObject({ where: 'phases.test.exit', gate: 'wait-30m', state: 'pending' });
    expect((await run(r, ['status'])).stdout).toMatch(/↷ phases\.test\.exit: wait 30m {2}skipped/);
  });

  it('a dry run shows everything it would do, then the gates the real run would stop at, with their exit code', async () => {
    const r = project(APPROVAL);
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    const dry = await run(r, ['cut', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(10);
    expect(dry.stdout).toMatch(/^Would cut 1\.0\.1/);
    expect(dry.stderr).toMatch(/the real cut would stop at its gates: 1\.0\.1 waits at a gate \(pending\) \(exit 10\)\n {2}phases\.build\.entry approval signoff: waiting for 2 approvals/);
    expect(dry.stderr.match(/approval signoff/g)).toHaveLength(1);
    const json = await run(r, ['cut', '--dry-run', '--json']);
    expect(json.code).toBe(10);
    expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: true, wouldStop: { code: 'E_GATE_PENDING', exitCode: 10 }, gates: [expect.objectContaining({ id: 'signoff', state: 'pending' })] });
    expect((await ledger(r)).map((e) => e.type)).toEqual(['release.planned']);
  });

  it('--yes never satisfies a gate', async () => {
    const r = project(APPROVAL);
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['cut', '--yes'])).code).toBe(10);
  });
});

describe('gates at a terminal', () => {
  it('asks an eligible person, records the answer, and the command goes on', async () => {
    const r = project(APPROVAL.replace('min: 2', 'min: 1'));
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    const asked: string[] = [];
    const stderr = capture(true);
    const prompts = () => ({
      text: async (message: string) => (asked.push(message), 'looks good'),
      confirm: async () => true,
      select: async <T extends string>(message: string) => (asked.push(message), 'approve' as T),
    });
    const cut = await run(r, ['cut'], { env: { ...as('erin@example.com'), NO_COLOR: '1' }, context: { stdin: { isTTY: true } as Context['stdin'], stderr, prompts } });
    expect(cut.code, stderr.text).toBe(0);
    expect(asked[0]).toMatch(/Approve 1\.0\.1 \(signoff\)\?/);
    expect(stderr.text).toMatch(/Approval signoff \(phases\.build\.entry\) for 1\.0\.1/);
    expect(stderr.text).toMatch(/planned by rm1 <rm1@example\.com>/);
    const approval = (await ledger(r)).find((e) => e.type === 'approval.granted');
    expect(approval).toMatchObject({ actor: { email: 'erin@example.com' }, data: { gate: 'signoff', comment: 'looks good' } });
  });

  it('asks each missing checklist item; "no" needs a comment and rejects the gate (exit 11)', async () => {
    const config = CHECKLIST.replace('items: [ { id: notes, text: "Release notes reviewed" } ]', 'items: [ { id: notes, text: "Release notes reviewed" }, { id: runbook, text: "Runbook updated" } ]');
    const r = project(config);
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    const answers = ['yes', 'no'];
    const prompts = () => ({ text: async () => 'not yet', confirm: async () => true, select: async <T extends string>(): Promise<T> => answers.shift() as T });
    const cut = await run(r, ['cut'], { env: as('rm2@example.com'), context: { stdin: { isTTY: true } as Context['stdin'], stderr: capture(true), prompts } });
    expect(cut.code).toBe(11);
    const attested = (await ledger(r)).filter((e) => e.type === 'attestation.recorded').map((e) => [e.data.item, e.data.answer, e.data.evidence ?? e.data.comment]);
    expect(attested).toEqual([['notes', 'yes', 'not yet'], ['runbook', 'no', 'not yet']]);
  });

  it('tells a person who may not decide who can, and does not ask', async () => {
    const r = project(APPROVAL);
    expect((await run(r, ['plan'], { env: as('rm1@example.com') })).code).toBe(0);
    const stderr = capture(true);
    const prompts = () => ({ text: async () => 'x', confirm: async () => true, select: async <T extends string>(): Promise<T> => { throw new Error('asked'); } });
    const cut = await run(r, ['cut'], { env: { ...as('rm1@example.com'), NO_COLOR: '1' }, context: { stdin: { isTTY: true } as Context['stdin'], stderr, prompts } });
    expect(cut.code).toBe(10);
    expect(stderr.text).toMatch(/dave@example\.com/);
    expect(stderr.text).toContain('relmgr approve --gate signoff');
    expect(existsSync(join(r.dir, 'CHANGELOG.md'))).toBe(false);
  });
});

describe.skipIf(!hasPty)('gates on a real terminal', () => {
  it('the approval prompt appears; approving with a comment records it and cut goes on', () => {
    const r = project(APPROVAL.replace('min: 2', 'min: 1'));
    execFileSync(process.execPath, [BIN, 'plan'], { cwd: r.dir, env: { ...r.env, ...as('rm1@example.com') } });
    const script = [
      ['Approve 1.0.1 (signoff)?', '\r'],
      ['Comment (optional)', 'ship it\r'],
    ];
    const result = relmgrInPty(script as [string, string][], ['cut'], { cwd: r.dir, env: { ...r.env, ...as('erin@example.com'), CI: '', TERM: 'xterm' } });
    expect(result.waiting_for, result.output).toBeUndefined();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Approval signoff (phases.build.entry) for 1.0.1');
    expect(result.output).toMatch(/Cut 1\.0\.1/);
    const events = JSON.parse(execFileSync(process.execPath, [BIN, 'ledger', 'log', '--json'], { cwd: r.dir, env: r.env, encoding: 'utf8' })) as Array<{ type: string; actor: { email: string }; data: { comment?: string } }>;
    expect(events.find((e) => e.type === 'approval.granted')).toMatchObject({ actor: { email: 'erin@example.com' }, data: { comment: 'ship it' } });
  });

  it('Ctrl-C during --wait stops waiting: exit 130, the lock released, nothing else changed', () => {
    const r = project(APPROVAL);
    execFileSync(process.execPath, [BIN, 'plan'], { cwd: r.dir, env: { ...r.env, ...as('rm1@example.com') } });
    const result = relmgrInPty([['waiting:', '\x03']], ['cut', '--wait', '5m'], { cwd: r.dir, env: { ...r.env, CI: '', TERM: 'xterm' } });
    expect(result.code, result.output).toBe(130);
    expect(result.output).toContain('stopped while waiting (SIGINT): nothing else was changed');
    expect(existsSync(join(r.git('rev-parse', '--absolute-git-dir'), 'relmgr.lock'))).toBe(false);
  });
});
