import type { Config } from '../config/schema.js';
import { deployOrder, isProduction } from '../lifecycle/environments.js';
import type { ReleaseView } from '../lifecycle/fold.js';
import { REPORT_SCHEMA, type Report, type ReportApproval, type ReportEnvironment, type ReportRelease } from './model.js';
import { periodDays, weekIndex, weekStarts } from './period.js';
import type { Scoped } from './scope.js';
import { distribution, median, round, secondsBetween } from './stats.js';
import { humanDuration } from './levels.js';

export interface ReportFacts {
  config: Config | null;
  now: Date;
  /** The committer times (epoch seconds) of the commits each release first brought to production (see ReportRelease.commits); absent: unknown (no tag). */
  commits: ReadonlyMap<string, readonly number[]>;
  notes: readonly string[];
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The shortest period a deployment frequency is given for, in days. */
export const MIN_FREQUENCY_DAYS = 7;

const shortPeriodNote = (days: number): string =>
  `no deployment frequency: the period is ${humanDuration(days * 86_400)} long, shorter than a week (a rate per week from it would be extrapolated); give a longer one with --from/--to or a wider --versions range`;

/** The report document from the scoped ledger and the commit times. Pure. */
export function computeReport(scoped: Scoped, facts: ReportFacts): Report {
  const { period } = scoped;
  const releases = scoped.releases.map((r) => releaseRow(r, scoped, facts));
  const deploys = scoped.deploys;
  const succeeded = deploys.filter((j) => j.deploy.outcome === 'succeeded').length;
  const incidents = deploys.flatMap((j) => (j.incident ? [j.incident] : []));
  const restored = incidents.flatMap((i) => (i.restoredAt === null ? [] : [secondsBetween(i.failedAt, i.restoredAt)]));
  const leadTimes = scoped.leadReleases.flatMap((r) => leadTimesOf(r, scoped, facts)).sort((a, b) => a - b);
  const days = periodDays(period);
  // Every release of the report with a verdict, as its row shows it.
  const targeted = releases.filter((r) => r.metTarget !== null);
  // Week boundaries computed once in the zone; each deploy is placed by its instant.
  const starts = weekStarts(period);
  const weeks = starts.map(({ week }) => ({ week, succeeded: 0, failed: 0 }));
  for (const j of deploys) {
    const week = weeks[weekIndex(starts, Date.parse(j.deploy.at))];
    if (week) week[j.deploy.outcome] += 1;
  }
  const empty = releases.length === 0 && deploys.length === 0;
  // A rate per week from less than a week would be an extrapolation (one deploy in an hour: 168 a week).
  const short = days < MIN_FREQUENCY_DAYS;
  return {
    schema: REPORT_SCHEMA,
    period: { from: period.from.toISOString(), to: period.to.toISOString(), timezone: period.timezone, days },
    versions: scoped.versions ? `${scoped.versions.from}..${scoped.versions.to}` : null,
    releases,
    productionDeploys: deploys.length,
    failedDeploys: deploys.filter((j) => j.failed).length,
    restores: restored.length,
    targets: { met: targeted.filter((r) => r.metTarget === true).length, missed: targeted.filter((r) => r.metTarget === false).length },
    dora: {
      deploymentFrequency: empty || short ? null : round(succeeded / (days / 7), 3),
      leadTimeForChanges: distribution(leadTimes),
      changeFailureRate: deploys.length === 0 ? null : round(deploys.filter((j) => j.failed).length / deploys.length, 4),
      timeToRestore: median(restored),
    },
    weeks,
    incidents,
    leadTimes,
    notes: [...facts.notes, ...(short && !empty ? [shortPeriodNote(days)] : [])],
  };
}

/** Lead times (seconds) of the commits a release shipped first: its first production success − each commit's committer time. */
function leadTimesOf(release: ReleaseView, scoped: Scoped, facts: ReportFacts): number[] {
  const deployed = scoped.firstProduction.get(release.version);
  if (deployed === undefined) return [];
  return (facts.commits.get(release.version) ?? []).map((time) => secondsBetween(time, deployed));
}

function releaseRow(release: ReleaseView, scoped: Scoped, facts: ReportFacts): ReportRelease {
  const deployedAt = scoped.firstProduction.get(release.version) ?? null;
  const target = str(release.planned.target);
  return {
    version: release.version,
    tag: release.tag,
    track: release.track,
    state: release.state,
    outcome: release.closed ? release.closed.outcome : release.state,
    plannedAt: release.plannedAt,
    plannedBy: release.initiator.name || release.initiator.email,
    cutAt: release.phases.build.attempts.find((a) => a.state === 'succeeded')?.finishedAt ?? null,
    deployedAt,
    closedAt: release.closed?.at ?? null,
    environments: environmentsOf(release, scoped, facts.config),
    approvals: approvalsOf(release),
    target,
    train: str(release.planned.train),
    // Abandoned, or closed without reaching production: the train left with another release, no verdict.
    metTarget: release.abandoned !== null || (release.closed !== null && deployedAt === null) ? null : metTarget(target, deployedAt, facts.now),
    commits: facts.commits.get(release.version)?.length ?? 0,
    leadTime: distribution(leadTimesOf(release, scoped, facts)),
  };
}

/** A target still to be met: no verdict yet, and the release neither closed nor abandoned (else its target was not its to meet). */
export const targetDue = (row: ReportRelease): boolean => row.target !== null && row.metTarget === null && row.closedAt === null && row.state !== 'abandoned';

/** Deployed to production at or before the target: met; after it, or not yet while it passed: missed; else null. */
export function metTarget(target: string | null, deployedAt: string | null, now: Date): boolean | null {
  if (target === null) return null;
  if (deployedAt !== null) return Date.parse(deployedAt) <= Date.parse(target);
  return now.getTime() > Date.parse(target) ? false : null;
}

/** Each environment the release was deployed to (its last deploy there, from the summaries), in promotion order. */
function environmentsOf(release: ReleaseView, scoped: Scoped, config: Config | null): ReportEnvironment[] {
  const own = scoped.history.filter((d) => d.release === release.version);
  const names = [...new Set([...deployOrder(config), ...own.map((d) => d.env)])];
  return names.flatMap((name): ReportEnvironment[] => {
    const last = own.filter((d) => d.env === name && d.kind === 'deploy').at(-1);
    if (last === undefined) return [];
    const rolledBack = own.some((d) => d.env === name && d.kind === 'rollback' && d.outcome === 'succeeded' && d.at > last.at);
    return [{ name, production: last.production || isProduction(config, name), at: last.at, result: rolledBack ? 'rolled_back' : last.outcome }];
  });
}

function approvalsOf(release: ReleaseView): ReportApproval[] {
  return release.gateEvents.flatMap((e): ReportApproval[] => {
    if (e.type !== 'approval.granted' && e.type !== 'approval.rejected') return [];
    return [{ gate: str(e.data.gate) ?? '', where: str(e.data.where) ?? '', by: e.actor.name || e.actor.email, at: e.at, decision: e.type === 'approval.granted' ? 'approved' : 'rejected' }];
  });
}
