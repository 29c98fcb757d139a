import semver from 'semver';
import type { Config } from '../config/schema.js';
import { deployments, type Deployment } from '../lifecycle/deployments.js';
import { isProduction } from '../lifecycle/environments.js';
import type { LedgerEvent } from '../lifecycle/events.js';
import { foldLedger, type ReleaseView } from '../lifecycle/fold.js';
import { judgeDeploys, type JudgedDeploy } from './incidents.js';
import { inPeriod, inRange, type Period, type VersionRange } from './period.js';

/** What a report covers: a period, or a version range (whose period runs from its first plan to its last deploy). */
export type ReportScope = { period: Period } | { versions: VersionRange; timezone: string };

/** The releases and production deploys of a report, before any figure is computed. */
export interface Scoped {
  period: Period;
  versions: VersionRange | null;
  /** Every release of the ledger (folded), and the deploy and rollback history of every environment. */
  all: ReleaseView[];
  history: Deployment[];
  /** The releases in the report, oldest plan first. */
  releases: ReleaseView[];
  /** The production-tier deploys counted, judged, oldest first. */
  deploys: JudgedDeploy[];
  /** Each release's first production-tier deploy that succeeded (any time). */
  firstProduction: Map<string, string>;
  /** The releases whose lead time counts: their first production success is in the report. */
  leadReleases: ReleaseView[];
}

/** Every event of the ledger, scoped: see docs/report.md for what is in a report. */
export function scopeReport(events: readonly LedgerEvent[], config: Config | null, scope: ReportScope): Scoped {
  const all = foldLedger(events).releases;
  const history = deployments(events);
  const tracks = new Map(all.map((r) => [r.version, r.track]));
  const production = (d: Deployment): boolean => d.production || isProduction(config, d.env);
  const judged = judgeDeploys(history, (release) => tracks.get(release) === 'emergency', production);
  const firstProduction = new Map<string, string>();
  for (const d of history) if (d.kind === 'deploy' && d.outcome === 'succeeded' && production(d) && !firstProduction.has(d.release)) firstProduction.set(d.release, d.at);

  if ('versions' in scope) {
    const releases = all.filter((r) => inRange(r.version, scope.versions));
    const names = new Set(releases.map((r) => r.version));
    const deploys = judged.filter((j) => names.has(j.deploy.release));
    const times = releases.flatMap((r) => [r.plannedAt, r.closed?.at ?? r.plannedAt, r.abandoned?.at ?? r.plannedAt, ...history.filter((d) => d.release === r.version).map((d) => d.at)]);
    const from = times.length > 0 ? new Date(Math.min(...times.map(Date.parse))) : new Date(0);
    const to = times.length > 0 ? new Date(Math.max(...times.map(Date.parse)) + 1) : new Date(1);
    const leadReleases = releases.filter((r) => firstProduction.has(r.version));
    return { period: { from, to, timezone: scope.timezone }, versions: scope.versions, all, history, releases, deploys, firstProduction, leadReleases };
  }
  const period = scope.period;
  const deploys = judged.filter((j) => inPeriod(j.deploy.at, period));
  const deployed = new Set(deploys.map((j) => j.deploy.release));
  const releases = all.filter((r) => inPeriod(r.plannedAt, period) || deployed.has(r.version));
  const leadReleases = releases.filter((r) => {
    const first = firstProduction.get(r.version);
    return first !== undefined && inPeriod(first, period);
  });
  return { period, versions: null, all, history, releases, deploys, firstProduction, leadReleases };
}

/** The known versions nearest to one no release has: the one just below it and the one just above (semver order), when there are. */
export function nearestVersions(version: string, known: readonly string[]): { below: string | null; above: string | null } {
  const sorted = known.filter((v) => semver.valid(v) !== null).sort(semver.compare);
  return { below: sorted.filter((v) => semver.lt(v, version)).at(-1) ?? null, above: sorted.find((v) => semver.gt(v, version)) ?? null };
}

/** The ends of a version range no release has (each end must name a release). */
export function unknownEnds(range: VersionRange, known: readonly string[]): string[] {
  const set = new Set(known);
  return [...new Set([range.from, range.to])].filter((v) => !set.has(v));
}
