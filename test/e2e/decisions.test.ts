import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/adapters/lock.js';
import type { LedgerEvent } from '../../src/core/lifecycle/events.js';
import { otherClone, type Project } from '../helpers/hints.js';
import { run, useProjects, type RunResult } from '../helpers/repo.js';

/* relmgr approve, reject and attest: a person's decision, bound to the plan, recorded once and pushed. */
const project = useProjects(afterEach, afterAll);

const CONFIG = `schema: relmgr/v1
versioning: { branches: [main] }
groups: { leads: [bob@example.com, carol@example.com, dave@example.com] }
phases:
  plan:
    exit:
      - checklist: { id: readiness, who: leads, items: [{ id: runbook, text: The runbook is up to date }, { id: backups, text: Backups were restored }] }
      - approval: { id: scope, rules: [{ from: leads }] }
environments:
  staging:
    entry:
      - approval: { id: signoff, rules: [{ from: [bob@example.com, carol@example.com] }] }
  production:
    entry:
      - approval: { id: signoff, rules: [{ from: leads, min: 2 }], allow_change: true }
`;

/** A person: git's identity comes from the environment (it wins over user.email). */
const as = (who: string): { env: Record<string, string> } => ({ env: { GIT_COMMITTER_NAME: who, GIT_COMMITTER_EMAIL: `${who.toLowerCase()}@example.com` } });
const decisions = async (r: Project): Promise<LedgerEvent[]> =>
  (JSON.parse((await run(r, ['ledger', 'log', '--json'])).stdout) as LedgerEvent[]).filter((e) => /^(approval|attestation)\./.test(e.type));
const failed = (result: RunResult, code: string, exit: number): void => {
  expect(result.code, result.stderr).toBe(exit);
  expect(result.stderr).toContain(`error[${code}]`);
  expect(result.stderr).toMatch(/\nhint: \S/);
};

async function planned(): Promise<Project> {
  const r = project(CONFIG);
  const plan = await run(r, ['plan']);
  expect(plan.code, plan.stderr).toBe(0);
  return r;
}

describe('relmgr approve', () => {
  it("records the decider's approval of an environment's gate, bound to the plan and its commit, and pushes it", async () => {
    const r = await planned();
    const done = await run(r, ['approve', '--env', 'production', '--gate', 'signoff', '--comment', 'LGTM'], as('Bob'));
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toBe(
      'Approved signoff (environments.production.entry) of 1.0.1 as bob@example.com: LGTM\nGate signoff: pending — waiting for 1 approval from leads (carol@example.com, dave@example.com); approved by bob@example.com\nNext: relmgr attest --checklist readiness --item <runbook|backups> (by bob@example.com, carol@example.com, dave@example.com); relmgr approve --gate scope (by bob@example.com, carol@example.com, dave@example.com); then relmgr cut\n',
    );
    const second = await run(r, ['approve', '--env', 'production', '--gate', 'signoff'], as('Carol'));
    expect(second.stderr).toMatch(/^Approved signoff \(environments\.production\.entry\) of 1\.0\.1 as carol@example\.com\nGate signoff: passed — approved by bob@example\.com, carol@example\.com\n/);
    const status = JSON.parse((await run(r, ['status', '--json'])).stdout) as { version: string };
    expect(status.version).toBe('1.0.1');
    const [event, ...more] = await decisions(r);
    expect(more).toHaveLength(1);
    const planEvent = (JSON.parse((await run(r, ['ledger', 'log', '--json'])).stdout) as LedgerEvent[]).find((e) => e.type === 'release.planned');
    expect(event).toMatchObject({
      type: 'approval.granted',
      release: '1.0.1',
      env: 'production',
      actor: { name: 'Bob', email: 'bob@example.com' },
      data: { plan: planEvent?.id, commit: r.git('rev-parse', 'HEAD'), where: 'environments.production.entry', gate: 'signoff', comment: 'LGTM' },
    });
    // Pushed: another clone sees it.
    expect(await decisions(otherClone(r))).toEqual([event, ...more]);
  });

  it('--json: the release, the gate, the decision and where the gate stands', async () => {
    const r = await planned();
    const done = await run(r, ['approve', '--gate', 'scope', '--json'], as('Carol'));
    expect(done.code, done.stderr).toBe(0);
    const doc = JSON.parse(done.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      release: '1.0.1',
      gate: { where: 'phases.plan.exit', id: 'scope', kind: 'approval', env: null },
      decision: { type: 'approval.granted', where: 'phases.plan.exit', gate: 'scope', by: 'carol@example.com', at: expect.stringMatching(/Z$/) },
      recorded: true,
      state: { status: 'passed', reason: 'approved by carol@example.com' },
      next: 'relmgr attest --checklist readiness --item <runbook|backups> (by bob@example.com, carol@example.com, dave@example.com); then relmgr cut',
    });
  });

  it('without --gate: the one gate awaiting the decider; several → exit 2 listing them; none → exit 3 naming who is eligible', async () => {
    const r = await planned();
    // Without --env the phase's gate comes first; the environments' gates are named with --env.
    const first = await run(r, ['approve'], as('Carol'));
    expect(first.stderr).toMatch(/^Approved scope \(phases\.plan\.exit\)/);
    const several = await run(r, ['approve'], as('Carol'));
    failed(several, 'E_UNKNOWN_GATE', 2);
    expect(several.stderr).toContain('  relmgr approve --env production --gate signoff\n');
    expect(several.stderr).toContain('  relmgr approve --env staging --gate signoff\n');
    const dave = await run(r, ['approve', '--env', 'staging'], as('Dave'));
    failed(dave, 'E_NOTHING_TO_DECIDE', 3);
    expect(dave.stderr).toContain('signoff (environments.staging.entry): eligible: bob@example.com, carol@example.com');
    expect((await decisions(r)).map((e) => e.data.gate)).toEqual(['scope']);
    const one = await run(r, ['approve', '--env', 'production'], as('Dave'));
    expect(one.stderr).toMatch(/^Approved signoff \(environments\.production\.entry\)/);
    const none = await run(r, ['approve', '--env', 'production'], as('Dave'));
    failed(none, 'E_NOTHING_TO_DECIDE', 3);
    expect(none.stderr).toContain('signoff (environments.production.entry): you decided it already');
  });

  it('a second identical approval is a no-op (exit 0, nothing recorded); approve after reject is refused unless allow_change', async () => {
    const r = await planned();
    expect((await run(r, ['approve', '--gate', 'scope'], as('Bob'))).code).toBe(0);
    const again = await run(r, ['approve', '--gate', 'scope'], as('Bob'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^scope \(phases\.plan\.exit\) of 1\.0\.1: already approved by you on \d{4}-\d\d-\d\dT[\d:.]+Z; nothing recorded\n/);
    const change = await run(r, ['reject', '--gate', 'scope', '--comment', 'changed my mind'], as('Bob'));
    failed(change, 'E_DECIDED', 3);
    expect(change.stderr).toContain('allow_change: true');
    expect((await decisions(r)).map((e) => e.type)).toEqual(['approval.granted']);
    // production's signoff allows a change: recorded, the latest counts.
    expect((await run(r, ['reject', '--env', 'production', '--gate', 'signoff', '--comment', 'not yet'], as('Bob'))).code).toBe(0);
    expect((await run(r, ['approve', '--env', 'production', '--gate', 'signoff'], as('Bob'))).code).toBe(0);
    expect((await decisions(r)).map((e) => `${e.type} ${String(e.data.where)}`)).toEqual([
      'approval.granted phases.plan.exit',
      'approval.rejected environments.production.entry',
      'approval.granted environments.production.entry',
    ]);
  });

  it('refuses, exit 3 and nothing recorded: people not among the gate\'s, a git identity without an email', async () => {
    const r = await planned();
    // The initiator (who ran plan, author@example.com) is not among the people of any gate here.
    const self = await run(r, ['approve', '--env', 'staging', '--gate', 'signoff']);
    failed(self, 'E_NOT_ELIGIBLE', 3);
    expect(self.stderr).toContain('eligible for signoff (environments.staging.entry): bob@example.com, carol@example.com');
    const dave = await run(r, ['approve', '--env', 'staging', '--gate', 'signoff'], as('Dave'));
    failed(dave, 'E_NOT_ELIGIBLE', 3);
    expect(dave.stderr).toContain('dave@example.com is not among the people who may decide approval signoff');
    expect(dave.stderr).toContain('hint: ask one of them to run: relmgr approve --env staging --gate signoff');
    r.git('config', 'user.email', '');
    const nobody = await run(r, ['approve', '--gate', 'scope'], { env: { GIT_COMMITTER_EMAIL: '', GIT_AUTHOR_EMAIL: '' } });
    failed(nobody, 'E_NO_IDENTITY', 3);
    r.git('config', 'user.email', 'alice@example.com');
    expect(await decisions(r)).toEqual([]);
  });

  it('refuses the initiator without allow_self', async () => {
    const r = project(CONFIG.replace('groups: { leads: [', 'groups: { leads: [author@example.com, '));
    expect((await run(r, ['plan'])).code).toBe(0);
    const self = await run(r, ['approve', '--gate', 'scope']);
    failed(self, 'E_NOT_ELIGIBLE', 3);
    expect(self.stderr).toContain('author@example.com planned this release, and the initiator may not approve it (the gate would need allow_self: true)');
    expect(self.stderr).not.toMatch(/eligible for scope[^\n]*author@/);
    expect(await decisions(r)).toEqual([]);
  });

  it('bad input: exit 2 and nothing recorded', async () => {
    const r = await planned();
    const cases: [string[], string, RegExp][] = [
      [['reject', '--gate', 'scope'], 'E_COMMENT_REQUIRED', /hint: relmgr reject --gate scope --comment "why"/],
      [['reject', '--gate', 'scope', '--comment', '  '], 'E_COMMENT_REQUIRED', /a rejection needs a comment/],
      [['approve', '--env', 'prod'], 'E_UNKNOWN_GATE', /no environment "prod"\n {2}environments: staging, production/],
      [['approve', '--gate', 'nope'], 'E_UNKNOWN_GATE', /no approval gate "nope"\n {2}relmgr approve --gate scope {3}\(phases\.plan\.exit\)/],
      [['approve', '--gate', 'signoff'], 'E_UNKNOWN_GATE', /--gate signoff names more than one approval gate/],
      [['attest', '--checklist', 'nope', '--item', 'runbook'], 'E_UNKNOWN_GATE', /no checklist "nope"/],
      [['attest', '--checklist', 'readiness', '--item', 'nope'], 'E_UNKNOWN_GATE', /no item "nope"\n {2}runbook: The runbook is up to date\n {2}backups: Backups were restored/],
    ];
    for (const [args, code, message] of cases) {
      const result = await run(r, args, as('Bob'));
      failed(result, code, 2);
      expect(result.stderr).toMatch(message);
    }
    expect(await decisions(r)).toEqual([]);
  });

  it('an abandoned release: exit 3 sending to relmgr status; no open release: E_NO_RELEASE', async () => {
    const r = project(CONFIG);
    failed(await run(r, ['approve', '--gate', 'scope'], as('Bob')), 'E_NO_RELEASE', 3);
    expect((await run(r, ['plan'])).code).toBe(0);
    expect((await run(r, ['abort'])).code).toBe(0);
    const abandoned = await run(r, ['approve', '--gate', 'scope', '--release', '1.0.1'], as('Bob'));
    failed(abandoned, 'E_ABANDONED', 3);
    expect(abandoned.stderr).toContain('hint: relmgr status');
    expect(await decisions(r)).toEqual([]);
  });

  it("a tested release still takes decisions on its environments' gates", async () => {
    const r = project(`schema: relmgr/v1
versioning: { branches: [main] }
environments:
  production:
    entry:
      - approval: { id: signoff, rules: [{ from: [bob@example.com, carol@example.com] }] }
`);
    for (const args of [['plan'], ['cut'], ['test']]) expect((await run(r, args)).code).toBe(0);
    const done = await run(r, ['approve', '--env', 'production'], as('Bob'));
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/^Approved signoff \(environments\.production\.entry\) of 1\.0\.1 as bob@example\.com\n/);
  });

  it('--dry-run says what it would record and records nothing', async () => {
    const r = await planned();
    const dry = await run(r, ['approve', '--gate', 'scope', '--dry-run'], as('Bob'));
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/^Dry run: would record approval\.granted for scope \(phases\.plan\.exit\) of 1\.0\.1 as bob@example\.com; nothing recorded\n/);
    const json = JSON.parse((await run(r, ['attest', '--checklist', 'readiness', '--item', 'runbook', '--dry-run', '--json'], as('Bob'))).stdout) as { recorded: boolean; decision: Record<string, unknown> };
    expect(json).toMatchObject({ recorded: false, decision: { type: 'attestation.recorded', checklist: 'readiness', item: 'runbook', answer: 'yes' } });
    expect(await decisions(r)).toEqual([]);
  });

  it("does not take the clone's lock: a person approves while another command holds it", async () => {
    const r = await planned();
    const lock = await acquireLock(join(r.dir, '.git', 'relmgr.lock'), 'relmgr cut --wait');
    try {
      failed(await run(r, ['abort']), 'E_LOCKED', 3);
      const done = await run(r, ['approve', '--gate', 'scope'], as('Bob'));
      expect(done.code, done.stderr).toBe(0);
    } finally {
      await lock.release();
    }
    expect(await decisions(r)).toHaveLength(1);
  });
});

describe('relmgr attest', () => {
  it('records an answer per (checklist, item, person), --no and --evidence; the other answer is refused', async () => {
    const r = await planned();
    const yes = await run(r, ['attest', '--checklist', 'readiness', '--item', 'runbook', '--evidence', 'https://wiki.example.com/runbook'], as('Bob'));
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toMatch(/^Attested item runbook of checklist readiness \(phases\.plan\.exit\) of 1\.0\.1 as bob@example\.com: yes\nGate readiness: pending — waiting for item backups/);
    const no = await run(r, ['attest', '--checklist', 'readiness', '--item', 'backups', '--no', '--comment', 'no restore test'], as('Bob'));
    expect(no.code, no.stderr).toBe(0);
    expect(no.stderr).toMatch(/\nGate readiness: rejected — .*no restore test[^\n]*\nNext: relmgr plan --replace --reason "…" .*\(checklist readiness rejected it\)\n$/);
    expect((await run(r, ['attest', '--checklist', 'readiness', '--item', 'runbook'], as('Bob'))).stderr).toContain('already answered yes by you on');
    failed(await run(r, ['attest', '--checklist', 'readiness', '--item', 'runbook', '--no'], as('Bob')), 'E_DECIDED', 3);
    failed(await run(r, ['attest', '--checklist', 'readiness', '--item', 'runbook']), 'E_NOT_ELIGIBLE', 3);
    expect((await decisions(r)).map((e) => e.data)).toEqual([
      expect.objectContaining({ where: 'phases.plan.exit', checklist: 'readiness', item: 'runbook', answer: 'yes', evidence: 'https://wiki.example.com/runbook' }),
      expect.objectContaining({ checklist: 'readiness', item: 'backups', answer: 'no', comment: 'no restore test' }),
    ]);
  });
});

describe('decisions from several machines', () => {
  it('an approval from another clone is seen in the first after a sync: the same person is told it is already decided', async () => {
    const r = await planned();
    const ci = otherClone(r);
    expect((await run(ci, ['approve', '--gate', 'scope'], as('Bob'))).code).toBe(0);
    expect((await run(r, ['ledger', 'sync'])).code).toBe(0);
    expect((await decisions(r)).map((e) => e.actor.email)).toEqual(['bob@example.com']);
    const again = await run(r, ['approve', '--gate', 'scope'], as('Bob'));
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already approved by you on');
  });

  it('two clones approving at once: each decision lands exactly once; the same person twice at once lands once', async () => {
    const r = await planned();
    const ci = otherClone(r);
    const [a, b] = await Promise.all([run(r, ['approve', '--env', 'production', '--gate', 'signoff'], as('Bob')), run(ci, ['approve', '--env', 'production', '--gate', 'signoff'], as('Carol'))]);
    expect([a.code, b.code], `${a.stderr}\n${b.stderr}`).toEqual([0, 0]);
    const [c, d] = await Promise.all([run(r, ['approve', '--gate', 'scope'], as('Dave')), run(ci, ['approve', '--gate', 'scope'], as('Dave'))]);
    expect([c.code, d.code], `${c.stderr}\n${d.stderr}`).toEqual([0, 0]);
    expect([c.stderr, d.stderr].filter((s) => s.includes('already approved by you'))).toHaveLength(1);
    await run(r, ['ledger', 'sync']);
    const seen = (await decisions(r)).map((e) => `${e.actor.email} ${String(e.data.gate)}`).sort();
    expect(seen).toEqual(['bob@example.com signoff', 'carol@example.com signoff', 'dave@example.com scope']);
  });
});
