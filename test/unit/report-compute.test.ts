import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config/schema.js';
import type { Deployment } from '../../src/core/lifecycle/deployments.js';
import type { EventType, LedgerEvent } from '../../src/core/lifecycle/events.js';
import { computeReport, metTarget } from '../../src/core/report/compute.js';
import { judgeDeploys } from '../../src/core/report/incidents.js';
import { nearestVersions, scopeReport, unknownEnds, type ReportScope } from '../../src/core/report/scope.js';
import { renderReportHtml } from '../../src/ui/report-html.js';
import { releasesTable } from '../../src/ui/report-table.js';
import { renderReportMarkdown, renderReportText } from '../../src/ui/report-text.js';

const actor = { name: 'Ada', email: 'ada@example.com' };
const config = configSchema.parse({ calendars: { timezone: 'Europe/Berlin' }, phases: { deploy: { order: ['staging', 'production'] } }, environments: { staging: {}, production: { tier: 'production' } } });
/** 1 June 2026 00:00 UTC + hours. */
const at = (hours: number): string => new Date(Date.UTC(2026, 5, 1) + hours * 3_600_000).toISOString();
let n = 0;
const ev = (type: EventType, release: string, hours: number, data: Record<string, unknown> = {}, extra: Partial<LedgerEvent> = {}): LedgerEvent => ({ v: 1, id: `e${(n += 1)}`, type, release, at: at(hours), actor, data, ...extra });
const planned = (version: string, hours: number, data: Record<string, unknown> = {}) => ev('release.planned', version, hours, { tag: `v${version}`, track: 'normal', ...data });
const deploy = (outcome: 'succeeded' | 'failed', version: string, hours: number, env = 'production') => ev(`deploy.${outcome}`, version, hours, { env, production: env === 'production' });
const rollback = (outcome: 'succeeded' | 'failed', version: string, hours: number, to: string) => ev(`rollback.${outcome}`, version, hours, { env: 'production', production: true, to });

/** One deploy or rollback summary in production (for judgeDeploys). */
const d = (kind: Deployment['kind'], outcome: Deployment['outcome'], release: string, hours: number): Deployment => ({ kind, outcome, release, env: 'production', at: at(hours), actor, production: true, to: null });
const emergency = (release: string) => release.endsWith('.1');

describe('judgeDeploys: which production deploys failed, and when each failure was restored', () => {
  it.each([
    ['a deploy that succeeded and stayed', [d('deploy', 'succeeded', '1.0.0', 0), d('deploy', 'succeeded', '1.1.0', 5)], [null, null]],
    ['a failed deploy, resumed: restored by the deploy', [d('deploy', 'failed', '1.1.0', 0), d('deploy', 'succeeded', '1.1.0', 2)], [{ failedAt: at(0), restoredAt: at(2), by: 'deploy' }, null]],
    ['a failed deploy, rolled back', [d('deploy', 'failed', '1.1.0', 0), d('rollback', 'succeeded', '1.1.0', 1)], [{ restoredAt: at(1), by: 'rollback' }]],
    ['a failed deploy never restored', [d('deploy', 'failed', '1.1.0', 0), d('rollback', 'failed', '1.1.0', 1)], [{ restoredAt: null, by: null }]],
    ['a success rolled back later: live from its success to the rollback', [d('deploy', 'succeeded', '1.1.0', 0), d('rollback', 'succeeded', '1.1.0', 3)], [{ failedAt: at(0), restoredAt: at(3), by: 'rollback' }]],
    ['a success replaced by an emergency release', [d('deploy', 'succeeded', '1.2.0', 0), d('deploy', 'succeeded', '1.2.1', 4)], [{ restoredAt: at(4), by: 'emergency' }, null]],
    ['an emergency release after the next normal release does not count', [d('deploy', 'succeeded', '1.2.0', 0), d('deploy', 'succeeded', '1.3.0', 1), d('deploy', 'succeeded', '1.3.1', 2)], [null, { by: 'emergency' }, null]],
    ['a redeploy of the same release ends the watch', [d('deploy', 'succeeded', '1.2.0', 0), d('deploy', 'succeeded', '1.2.0', 1), d('rollback', 'succeeded', '1.2.0', 2)], [null, { failedAt: at(1), restoredAt: at(2) }]],
    // the rollback undoes 1.3.0, which failed: the release that ran before it did nothing wrong
    ['a rollback of the next release does not blame the one before', [d('deploy', 'succeeded', '1.2.0', 0), d('deploy', 'failed', '1.3.0', 1), d('rollback', 'succeeded', '1.3.0', 2)], [null, { failedAt: at(1), restoredAt: at(2), by: 'rollback' }]],
    ['a failed rollback then a good one: restored by the good one', [d('deploy', 'succeeded', '1.2.0', 0), d('rollback', 'failed', '1.2.0', 1), d('rollback', 'succeeded', '1.2.0', 2)], [{ failedAt: at(0), restoredAt: at(2) }]],
  ] as const)('%s', (_, history, expected) => {
    const judged = judgeDeploys(history, emergency, () => true);
    expect(judged.map((j) => j.incident)).toMatchObject(expected);
    expect(judged.map((j) => j.failed)).toEqual(expected.map((e) => e !== null));
  });

  it('staging deploys are not judged', () => {
    const staging = { ...d('deploy', 'failed', '1.0.0', 0), env: 'staging', production: false };
    expect(judgeDeploys([staging], emergency, (x) => x.production)).toEqual([]);
  });
});

describe('metTarget', () => {
  const now = new Date(at(100));
  it.each([
    ['no target', null, at(1), null],
    ['deployed before the target', at(10), at(5), true],
    ['deployed exactly at the target', at(10), at(10), true],
    ['deployed after it', at(10), at(11), false],
    ['not deployed, target passed', at(50), null, false],
    ['not deployed, target ahead', at(150), null, null],
  ] as const)('%s', (_, target, deployedAt, expected) => expect(metTarget(target, deployedAt, now)).toBe(expected));
});

/** A small history: 1.0.0 (before the period), 1.1.0 failed then rolled back, 1.2.0 fine, 1.2.1 an emergency, 1.3.0 planned but not deployed. */
function history(): LedgerEvent[] {
  // Each release tested before the next is planned (a plan over an untested one would race it).
  const tested = (version: string, hours: number) => [ev('phase.started', version, hours, {}, { phase: 'test' }), ev('phase.succeeded', version, hours + 0.5, {}, { phase: 'test' })];
  const plan110 = planned('1.1.0', -20, { target: at(20) });
  return [
    planned('1.0.0', -200),
    ...tested('1.0.0', -199),
    deploy('succeeded', '1.0.0', -190),
    plan110,
    ev('phase.started', '1.1.0', -19, {}, { phase: 'build' }),
    ev('phase.succeeded', '1.1.0', -18, {}, { phase: 'build' }),
    ...tested('1.1.0', -17),
    ev('approval.granted', '1.1.0', 1, { gate: 'signoff', where: 'production', plan: plan110.id }),
    deploy('succeeded', '1.1.0', 1, 'staging'),
    deploy('failed', '1.1.0', 2),
    rollback('succeeded', '1.1.0', 3, '1.0.0'),
    planned('1.2.0', 10, { target: at(30), train: 'weekly' }),
    ...tested('1.2.0', 11),
    deploy('succeeded', '1.2.0', 20),
    planned('1.2.1', 24, { track: 'emergency' }),
    ...tested('1.2.1', 25),
    deploy('succeeded', '1.2.1', 26),
    planned('1.3.0', 40, { target: at(45) }),
  ];
}

const period = (fromHours: number, toHours: number): ReportScope => ({ period: { from: new Date(at(fromHours)), to: new Date(at(toHours)), timezone: 'Europe/Berlin' } });
const report = (scope: ReportScope, commits = new Map<string, number[]>(), now = at(100)) => computeReport(scopeReport(history(), config, scope), { config, now: new Date(now), commits, notes: [] });

describe('the report of a period', () => {
  it('has the releases planned in it or deployed to production in it, and the figures of its production deploys', () => {
    const seconds = (hours: number) => Date.parse(at(hours)) / 1000;
    const commits = new Map([
      ['1.2.0', [seconds(0), seconds(8), seconds(14), seconds(16)]],
      ['1.2.1', [seconds(23)]],
    ]);
    const r = report(period(0, 7 * 24), commits);
    // 1.1.0 was planned before the period, but deployed in it; 1.0.0 neither
    expect(r.releases.map((x) => x.version)).toEqual(['1.1.0', '1.2.0', '1.2.1', '1.3.0']);
    expect(r.productionDeploys).toBe(3);
    // 1.1.0's deploy failed; 1.2.0 succeeded and was replaced by the emergency 1.2.1
    expect(r.failedDeploys).toBe(2);
    expect(r.restores).toBe(2);
    expect(r.incidents).toEqual([
      { env: 'production', release: '1.1.0', failedAt: at(2), restoredAt: at(3), by: 'rollback' },
      { env: 'production', release: '1.2.0', failedAt: at(20), restoredAt: at(26), by: 'emergency' },
    ]);
    expect(r.dora.changeFailureRate).toBe(0.6667);
    // 2 succeeded in 7 days
    expect(r.dora.deploymentFrequency).toBe(2);
    // median of 1 h and 6 h
    expect(r.dora.timeToRestore).toBe(3.5 * 3600);
    // 1.2.0: 20, 12, 6, 4 hours; 1.2.1: 3 hours → sorted 3, 4, 6, 12, 20
    expect(r.leadTimes).toEqual([3, 4, 6, 12, 20].map((h) => h * 3600));
    expect(r.dora.leadTimeForChanges).toEqual({ median: 6 * 3600, p90: 20 * 3600, count: 5 });
    const row = r.releases[1];
    expect(row).toMatchObject({ version: '1.2.0', target: at(30), train: 'weekly', metTarget: true, commits: 4, deployedAt: at(20), leadTime: { median: 9 * 3600, p90: 20 * 3600, count: 4 } });
    // 1.1.0 never reached production, and its target passed; 1.3.0's passed too (now is later)
    expect(r.releases.map((x) => x.metTarget)).toEqual([false, true, null, false]);
    expect(r.targets).toEqual({ met: 1, missed: 2 });
    expect(r.releases[0]).toMatchObject({
      cutAt: at(-18),
      approvals: [{ gate: 'signoff', where: 'production', by: 'Ada', at: at(1), decision: 'approved' }],
      environments: [
        { name: 'staging', production: false, at: at(1), result: 'succeeded' },
        { name: 'production', production: true, at: at(2), result: 'rolled_back' },
      ],
    });
    expect(r.weeks).toEqual([
      { week: '2026-W23', succeeded: 2, failed: 1 },
      { week: '2026-W24', succeeded: 0, failed: 0 },
    ]);
  });

  it('a target still ahead is neither met nor missed, and not counted', () => {
    const r = report(period(0, 7 * 24), new Map(), at(41));
    expect(r.releases.find((x) => x.version === '1.3.0')?.metTarget).toBeNull();
    expect(r.targets).toEqual({ met: 1, missed: 1 });
  });

  it('targets count every release of the report with a verdict, as its rows show, wherever its target lies', () => {
    // 1.2.0's target (hour 30) lies after the period, and it met it: counted, as its row says
    const r = report(period(0, 25));
    expect(r.releases.map((x) => [x.version, x.metTarget])).toEqual([
      ['1.1.0', false],
      ['1.2.0', true],
      ['1.2.1', null],
    ]);
    expect(r.targets).toEqual({ met: 1, missed: 1 });
  });

  it('a release closed without reaching production, or abandoned, has no verdict: its target was not its to meet', () => {
    const events = [
      ...history(),
      ev('release.closed', '1.1.0', 5, { note: 'rolled back', outcome: 'rolled_back' }),
      ev('release.abandoned', '1.3.0', 42, { reason: 'the train left with another release', state: 'planned' }),
    ];
    const r = computeReport(scopeReport(events, config, period(0, 7 * 24)), { config, now: new Date(at(100)), commits: new Map(), notes: [] });
    expect(r.releases.map((x) => [x.version, x.metTarget])).toEqual([
      ['1.1.0', null],
      ['1.2.0', true],
      ['1.2.1', null],
      ['1.3.0', null],
    ]);
    expect(r.targets).toEqual({ met: 1, missed: 0 });
    expect(renderReportText(r)).toMatch(/\n1\.1\.0 .*—\n/);
    expect(releasesTable(r.releases, 'UTC')).not.toContain('pending');
  });

  it('an empty period: no releases, every metric null, the weeks still there', () => {
    const r = report(period(500, 500 + 14 * 24));
    expect(r.releases).toEqual([]);
    expect(r.productionDeploys).toBe(0);
    expect(r.dora).toEqual({ deploymentFrequency: null, leadTimeForChanges: { median: null, p90: null, count: 0 }, changeFailureRate: null, timeToRestore: null });
    expect(r.weeks.length).toBeGreaterThan(0);
    const text = renderReportText(r);
    expect(text).toContain('no releases between 2026-06-21 and 2026-07-05 (Europe/Berlin)');
    expect(text).toContain('Deployment frequency —');
    expect(renderReportMarkdown(r)).toContain('_no releases between 2026-06-21 and 2026-07-05 (Europe/Berlin)_');
  });
});

describe('names as typed', () => {
  it('a name with angle brackets, an ampersand or a pipe reads as typed in markdown and HTML, and stays inert', () => {
    const typed = '<script>alert(3)</script> & Co | Ltd *now* _it_ `x` [y](z)';
    const plan = ev('release.planned', '1.0.0', 1, { tag: 'v1.0.0', track: 'normal' }, { actor: { name: 'Bo <b>bold</b>', email: 'bo@example.com' } });
    const events = [plan, ev('approval.granted', '1.0.0', 2, { gate: 'signoff', where: 'production', plan: plan.id }, { actor: { name: typed, email: 'x@example.com' } }), deploy('succeeded', '1.0.0', 3)];
    const r = computeReport(scopeReport(events, config, period(0, 7 * 24)), { config, now: new Date(at(100)), commits: new Map(), notes: [] });
    expect(r.releases[0]?.approvals[0]?.by).toBe(typed);
    const md = renderReportMarkdown(r);
    // markdown's punctuation escaped: no emphasis, code or link from a name
    expect(md).toContain('| &lt;script&gt;alert(3)&lt;/script&gt; &amp; Co \\| Ltd \\*now\\* \\_it\\_ \\`x\\` \\[y\\](z) |');
    expect(md).not.toMatch(/<\/?(script|b)\b/);
    const html = renderReportHtml(r, { project: 'p', generatedAt: new Date(at(100)), timezone: 'UTC' });
    expect(html).toContain('✓ &lt;script&gt;alert(3)&lt;/script&gt; &amp; Co | Ltd *now* _it_ `x` [y](z)</span>');
    expect(html).toContain('data-planned-by="Bo &lt;b&gt;bold&lt;/b&gt;"');
    expect(html).not.toMatch(/<\/?script\b|<b>bold/);
    expect(html).not.toContain('scriptalert');
  });
});

describe('the report of a version range', () => {
  it('has every release in the range (semver, both ends included) and their deploys, whenever they were', () => {
    const r = report({ versions: { from: '1.1.0', to: '1.2.1' }, timezone: 'Europe/Berlin' });
    expect(r.versions).toBe('1.1.0..1.2.1');
    expect(r.releases.map((x) => x.version)).toEqual(['1.1.0', '1.2.0', '1.2.1']);
    expect(r.productionDeploys).toBe(3);
    expect(r.period.from).toBe(at(-20));
  });

  it.each([
    ['a version range of one release (a day)', { versions: { from: '1.2.0', to: '1.2.0' }, timezone: 'Europe/Berlin' } as ReportScope, 0.417, '10h'],
    ['a period of an hour', period(19.5, 20.5), 0.042, '1h'],
    ['a period of 6.9 days', period(0, 6.9 * 24), 6.9, '6d 21h'],
  ])('%s: shorter than a week, so no deployment frequency, and a note says why', (_, scope, days, length) => {
    const r = report(scope);
    expect(r.period.days).toBe(days);
    expect(r.productionDeploys).toBeGreaterThan(0);
    expect(r.dora.deploymentFrequency).toBeNull();
    expect(r.notes).toEqual([`no deployment frequency: the period is ${length} long, shorter than a week (a rate per week from it would be extrapolated); give a longer one with --from/--to or a wider --versions range`]);
    expect(renderReportText(r)).toContain('Deployment frequency —');
  });

  it('a period of exactly a week has a deployment frequency, and no note', () => {
    const r = report(period(0, 7 * 24));
    expect(r.dora.deploymentFrequency).toBe(2);
    expect(r.notes).toEqual([]);
  });

  it('names the ends no release has, and the versions nearest to them', () => {
    const known = ['1.0.0', '1.1.0', '1.2.0', '1.2.1', '1.3.0'];
    expect(unknownEnds({ from: '1.1.0', to: '1.2.5' }, known)).toEqual(['1.2.5']);
    expect(nearestVersions('1.2.5', known)).toEqual({ below: '1.2.1', above: '1.3.0' });
    expect(nearestVersions('0.1.0', known)).toEqual({ below: null, above: '1.0.0' });
    expect(nearestVersions('2.0.0', known)).toEqual({ below: '1.3.0', above: null });
  });
});

describe('text and markdown', () => {
  it('a table of the releases and the metrics in words, with their DORA levels; markdown escapes pipes', () => {
    const r = report(period(0, 7 * 24));
    const text = renderReportText(r);
    expect(text).toMatch(/^Releases 2026-06-01 – 2026-06-08 \(Europe\/Berlin\)\n\nversion +track +planned/);
    expect(text).toMatch(/\n1\.1\.0 +normal +2026-05-31 06:00 +— +— +staging, production ↶ +tested +Ada +missed\n/);
    expect(text).toContain('Deployment frequency 2.0 per week (high)');
    expect(text).toContain('Change failure rate 66.7% (2 of 3 production deploys) (low)');
    expect(text).toContain('Time to restore median 3h 30m (2 restored of 2 failures) (high)');
    const md = renderReportMarkdown({ ...r, notes: ['a | b'] });
    expect(md).toContain('| version | track | planned | deployed | closed | environments | outcome | approved by | target |');
    expect(md).toContain('- Deployment frequency 2.0 per week (high)');
    expect(md).toContain('> **Note:** a \\| b');
  });
});
