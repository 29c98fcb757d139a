import { DateTime } from 'luxon';
import { rng } from '../../bench/report-rng.mjs';
import { REPORT_SCHEMA, type Distribution, type Report, type ReportEnvironment, type ReportRelease } from '../../src/core/report/model.js';

/*
 * Report documents for the HTML page's tests: an empty period, and a realistic half year (about 40
 * releases, failed deploys, rollbacks, an emergency release, one failure not yet restored) built by a
 * deterministic generator — a seeded PRNG, so every run draws the same page.
 */

export const ZONE = 'Europe/Berlin';
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Nearest rank. */
export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number | null => (sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number));
  return { median: rank(0.5), p90: rank(0.9), count: sorted.length };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export function emptyReport(from = '2026-11-01', to = '2026-12-01'): Report {
  const start = DateTime.fromISO(from, { zone: ZONE });
  const end = DateTime.fromISO(to, { zone: ZONE });
  return {
    schema: REPORT_SCHEMA,
    period: { from: iso(start.toMillis()), to: iso(end.toMillis()), timezone: ZONE, days: Math.round(end.diff(start, 'days').days) },
    versions: null,
    releases: [],
    productionDeploys: 0,
    failedDeploys: 0,
    restores: 0,
    targets: { met: 0, missed: 0 },
    dora: { deploymentFrequency: null, leadTimeForChanges: { median: null, p90: null, count: 0 }, changeFailureRate: null, timeToRestore: null },
    weeks: [],
    incidents: [],
    leadTimes: [],
    notes: [],
  };
}

const PEOPLE = ['Ana Lima', 'Bo Chen', 'Carla Meyer', 'Dev Patel'];
type Fate = 'ok' | 'failed' | 'rolled_back';

/** A half year of releases from 1 Jun 2026 (Europe/Berlin), the same for the same seed. */
export function realisticReport(seed = 11): Report {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const report = emptyReport('2026-06-01', '2026-12-01');
  const start = Date.parse(report.period.from);
  const end = Date.parse(report.period.to);
  const weeks = new Map<string, { succeeded: number; failed: number }>();
  for (let at = DateTime.fromMillis(start, { zone: ZONE }); at.toMillis() < end; at = at.plus({ weeks: 1 })) weeks.set(at.toISODate() as string, { succeeded: 0, failed: 0 });
  const weekOf = (ms: number): { succeeded: number; failed: number } => weeks.get(DateTime.fromMillis(ms, { zone: ZONE }).startOf('week').toISODate() as string) ?? { succeeded: 0, failed: 0 };
  const restoreTimes: number[] = [];
  let minor = 4;
  let patch = 0;
  let pendingEmergency: number | null = null;
  for (let t = start + 9 * HOUR + DAY; t < end - 5 * DAY; t += Math.round((2.5 + random() * 4.5) * DAY)) {
    const emergency: boolean = pendingEmergency !== null;
    const version = emergency ? `2.${minor}.${++patch}` : `2.${++minor}.${(patch = 0)}`;
    const plannedAt: number = emergency ? (pendingEmergency as number) + 20 * 60_000 : t;
    const cutAt = plannedAt + (emergency ? 25 : 60 + random() * 300) * 60_000;
    const stagingAt = cutAt + (emergency ? 30 * 60_000 : (2 + random() * 20) * HOUR);
    const prodAt = stagingAt + (emergency ? 45 * 60_000 : (4 + random() * 40) * HOUR);
    const fate: Fate = emergency ? 'ok' : random() < 0.06 ? 'failed' : random() < 0.07 ? 'rolled_back' : 'ok';
    const environments: ReportEnvironment[] = [
      { name: 'staging', production: false, at: iso(stagingAt), result: 'succeeded' },
      { name: 'production', production: true, at: iso(prodAt), result: fate === 'ok' ? 'succeeded' : fate },
    ];
    report.productionDeploys++;
    const week = weekOf(prodAt);
    if (fate !== 'ok') week.failed++;
    else week.succeeded++;
    if (fate !== 'ok') {
      report.failedDeploys++;
      const failedAt: number = fate === 'failed' ? prodAt : prodAt + (1 + random() * 20) * HOUR;
      const by: 'rollback' | 'emergency' = fate === 'rolled_back' && random() < 0.5 ? 'emergency' : 'rollback';
      const restoredAt = by === 'emergency' ? failedAt + 120 * 60_000 : failedAt + (10 + random() * 90) * 60_000;
      report.incidents.push({ env: 'production', release: version, failedAt: iso(failedAt), restoredAt: iso(restoredAt), by });
      report.restores++;
      restoreTimes.push((restoredAt - failedAt) / 1000);
      pendingEmergency = by === 'emergency' ? failedAt : null;
    } else pendingEmergency = null;
    const deployedAt = fate === 'failed' ? null : prodAt;
    const leadTimes = deployedAt === null ? [] : Array.from({ length: emergency ? 1 : 2 + Math.floor(random() * 9) }, () => Math.round(((deployedAt - cutAt) / 1000) * random() + Math.exp(7.5 + random() * 6.6)));
    report.leadTimes.push(...leadTimes);
    const train = !emergency && random() < 0.5 ? 'weekly' : null;
    const target = train || random() < 0.3 ? plannedAt + (2 + Math.floor(random() * 3)) * DAY : null;
    const metTarget = target === null ? null : deployedAt !== null && deployedAt <= target;
    if (metTarget === true) report.targets.met++;
    if (metTarget === false) report.targets.missed++;
    const outcome = fate === 'ok' ? 'deployed' : fate;
    const closedAt = fate === 'ok' ? prodAt + (1 + random() * 2) * DAY : null;
    const approvals: ReportRelease['approvals'] = [{ gate: 'production-signoff', where: 'production', by: pick(PEOPLE), at: iso(stagingAt + HOUR), decision: 'approved' }];
    report.releases.push({
      version, tag: `v${version}`, track: emergency ? 'emergency' : 'normal', state: closedAt === null ? outcome : 'closed', outcome,
      plannedAt: iso(plannedAt), plannedBy: pick(PEOPLE), cutAt: iso(cutAt), deployedAt: deployedAt === null ? null : iso(deployedAt),
      closedAt: closedAt !== null && closedAt < end ? iso(closedAt) : null, environments, approvals, target: target === null ? null : iso(target), train,
      metTarget, commits: leadTimes.length, leadTime: distribution(leadTimes),
    });
    if (emergency) t = prodAt;
  }
  // A staging failure in the last days, not restored yet.
  report.incidents.push({ env: 'staging', release: `2.${minor + 1}.0-rc.1`, failedAt: iso(end - 3 * DAY + 5 * HOUR), restoredAt: null, by: null });
  report.weeks = [...weeks].map(([week, counts]) => ({ week, ...counts }));
  const succeeded = report.weeks.reduce((sum, w) => sum + w.succeeded, 0);
  report.dora = {
    deploymentFrequency: succeeded / (report.period.days / 7),
    leadTimeForChanges: distribution(report.leadTimes),
    changeFailureRate: report.failedDeploys / report.productionDeploys,
    timeToRestore: distribution(restoreTimes).median,
  };
  report.notes = ['3 commits before the first tag are not counted in lead time.'];
  return report;
}
