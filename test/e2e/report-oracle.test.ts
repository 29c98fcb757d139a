import { afterEach, describe, expect, it } from 'vitest';
import type { DeployRecord, ReleaseRecord } from '../../bench/report-history.mjs';
import type { Report } from '../../src/core/report/model.js';
import { writeHistory } from '../helpers/report-history.js';
import { relmgr, run, useRepos } from '../helpers/repo.js';

/*
 * "Done means": on a year of synthetic history (≥ 200 releases, failures, rollbacks, emergencies),
 * `report --json` gives exactly the DORA figures a separate, simple loop computes from the
 * generator's own records (what it meant to happen), never from the ledger.
 */

const repo = useRepos(afterEach);

/** The expected figures for [from, to): straight from the records. */
function oracle(records: { deploys: DeployRecord[]; releases: ReleaseRecord[] }, from: number, to: number) {
  const inside = (t: number) => t >= from && t < to;
  const production = records.deploys.filter((d) => d.env === 'production' && inside(d.at));
  const failed = production.filter((d) => d.bad);
  const restored = failed.filter((d) => d.restoredAt !== null);
  const days = Math.round(((to - from) / 86_400_000) * 1000) / 1000;
  const succeeded = production.filter((d) => d.outcome === 'succeeded').length;
  const lead: number[] = [];
  for (const release of records.releases) {
    if (release.firstProduction === null || !inside(release.firstProduction)) continue;
    for (const seconds of release.commits) lead.push(Math.round((release.firstProduction - seconds * 1000) / 1000));
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const median = (values: number[]) => {
    const s = sorted(values);
    if (s.length === 0) return null;
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  const p90 = (values: number[]) => (values.length === 0 ? null : sorted(values)[Math.ceil(0.9 * values.length) - 1]);
  const restoreTimes = restored.map((d) => Math.round(((d.restoredAt as number) - d.at) / 1000));
  // Every release of the report (planned in the period, or deployed to production in it) with a target and a verdict:
  // one that never reached production was closed or abandoned here (the train left with another), so it has none.
  const deployedIn = new Set(production.map((d) => d.version));
  const listed = records.releases.filter((r) => inside(r.plannedAt) || deployedIn.has(r.version));
  const targeted = listed.filter((r) => r.target !== null && r.firstProduction !== null);
  const met = targeted.filter((r) => (r.firstProduction as number) <= (r.target as number)).length;
  return {
    productionDeploys: production.length,
    failedDeploys: failed.length,
    restores: restored.length,
    targets: { met, missed: targeted.length - met },
    dora: {
      // under a week: no rate per week (it would be extrapolated)
      deploymentFrequency: days < 7 ? null : Math.round((succeeded / (days / 7)) * 1000) / 1000,
      leadTimeForChanges: { median: median(lead), p90: p90(lead), count: lead.length },
      changeFailureRate: Math.round((failed.length / production.length) * 10_000) / 10_000,
      timeToRestore: median(restoreTimes),
    },
  };
}

const figures = (report: Report) => ({ productionDeploys: report.productionDeploys, failedDeploys: report.failedDeploys, restores: report.restores, targets: report.targets, dora: report.dora });

describe('relmgr report on a year of synthetic history', () => {
  it('matches the oracle for a period given as days in the calendar zone (across both DST changes), and for the whole year', async () => {
    const r = repo();
    const history = writeHistory(r, { newer: true });
    const { records } = history;
    expect(records.releases.length).toBeGreaterThanOrEqual(200);
    expect(records.releases.filter((x) => x.track === 'emergency').length).toBeGreaterThan(5);
    expect(records.deploys.filter((d) => d.outcome === 'failed').length).toBeGreaterThan(5);
    expect(history.events).toBeGreaterThan(4000);

    // 1 March to 31 October 2025 in Europe/Berlin: from 00:00 CET (23:00 UTC the day before), to the end of 31 October (CET again).
    const period = await run(r, ['report', '--json', '--from', '2025-03-01', '--to', '2025-10-31']);
    expect(period.code, period.stderr).toBe(0);
    const report = JSON.parse(period.stdout) as Report;
    const from = Date.UTC(2025, 1, 28, 23);
    const to = Date.UTC(2025, 9, 31, 23);
    expect(report.period).toEqual({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), timezone: 'Europe/Berlin', days: 245 });
    const expected = oracle(records, from, to);
    expect(expected.failedDeploys).toBeGreaterThan(10);
    expect(figures(report)).toEqual(expected);
    // The weeks split the same deploys by outcome; every release deployed in the period is listed.
    expect(report.weeks.reduce((n, w) => n + w.succeeded + w.failed, 0)).toBe(expected.productionDeploys);
    expect(report.incidents).toHaveLength(expected.failedDeploys);
    expect(report.leadTimes).toHaveLength(expected.dora.leadTimeForChanges.count);
    // The event from a newer relmgr is named, and changes nothing.
    expect(report.notes.join('\n')).toMatch(/1 ledger event was written by a newer relmgr \(event format 2/);
    expect(period.stderr).toMatch(/newer relmgr/);

    // Six days (2 to 7 June, CEST): every figure but the deployment frequency, and a note says why.
    const week = await run(r, ['report', '--json', '--from', '2025-06-02', '--to', '2025-06-07']);
    expect(week.code, week.stderr).toBe(0);
    const six = JSON.parse(week.stdout) as Report;
    expect(six.period.days).toBe(6);
    expect(six.productionDeploys).toBeGreaterThan(0);
    expect(figures(six)).toEqual(oracle(records, Date.UTC(2025, 5, 1, 22), Date.UTC(2025, 5, 7, 22)));
    expect(six.dora.deploymentFrequency).toBeNull();
    expect(six.notes).toContain('no deployment frequency: the period is 6d long, shorter than a week (a rate per week from it would be extrapolated); give a longer one with --from/--to or a wider --versions range');

    const year = await run(r, ['report', '--json', '--from', new Date(history.start - 86_400_000).toISOString(), '--to', new Date(history.end).toISOString()]);
    expect(year.code, year.stderr).toBe(0);
    const whole = JSON.parse(year.stdout) as Report;
    expect(figures(whole)).toEqual(oracle(records, history.start - 86_400_000, history.end));
    expect(whole.releases).toHaveLength(records.releases.length);
  });

  it('prints the same document from the built binary', () => {
    const r = repo();
    const history = writeHistory(r, { releases: 200, seed: 11 });
    const from = history.start;
    const to = history.end;
    const result = relmgr(r, ['report', '--json', '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString()]);
    expect(result.code, result.stderr).toBe(0);
    expect(figures(JSON.parse(result.stdout) as Report)).toEqual(oracle(history.records, from, to));
  });
});
