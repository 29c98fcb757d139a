/*
 * What `relmgr report` computes: the release history of a period (or a version range) and the four
 * DORA metrics. This is the `--json` document, a contract for dashboards: fields are added, never
 * renamed or removed, within `relmgr/report/v1`. Times are RFC 3339 UTC strings; durations are
 * seconds; a metric with nothing to measure is null, never 0.
 */

export const REPORT_SCHEMA = 'relmgr/report/v1';

/** A duration distribution, in seconds: median, and the 90th percentile (nearest rank). */
export interface Distribution {
  median: number | null;
  p90: number | null;
  /** How many values it was computed from. */
  count: number;
}

/** One environment a release reached (its last deploy attempt there, and whether it was rolled back). */
export interface ReportEnvironment {
  name: string;
  production: boolean;
  /** The last deploy attempt's end. */
  at: string;
  result: 'succeeded' | 'failed' | 'rolled_back';
}

export interface ReportApproval {
  gate: string;
  /** The environment or phase the gate belongs to (`production`, `plan`). */
  where: string;
  by: string;
  at: string;
  decision: 'approved' | 'rejected';
}

export interface ReportRelease {
  version: string;
  tag: string;
  /** `normal`, `emergency`, or a pre-release track. */
  track: string;
  /** The release state now (`closed`, `rolled_back`, `deploying`, …). */
  state: string;
  /** What it came to: the state it was closed from when closed, else its state. */
  outcome: string;
  plannedAt: string;
  plannedBy: string;
  cutAt: string | null;
  /** The first production-tier deploy that succeeded. */
  deployedAt: string | null;
  closedAt: string | null;
  environments: ReportEnvironment[];
  approvals: ReportApproval[];
  /** The deadline it was planned for (`plan --target`, or the train it aimed at), if any. */
  target: string | null;
  /** The train it aimed at, if its target came from one. */
  train: string | null;
  /** Deployed to production by its target (true), after it or not yet while it passed (false); null without a target, before it, or when abandoned or closed without reaching production. */
  metTarget: boolean | null;
  /** Commits this release first brought to production (its own release commit excluded), those of earlier releases that never got there included; a release that never reached production keeps its own until a later one ships them. */
  commits: number;
  /** Commit time → first production success, over its commits (seconds). */
  leadTime: Distribution;
}

export interface Dora {
  /** Production-tier deploys that succeeded, per week of the period. */
  deploymentFrequency: number | null;
  /** Commit time (committer date) → the first production success of the release that shipped it. */
  leadTimeForChanges: Distribution;
  /** failedDeploys / productionDeploys. */
  changeFailureRate: number | null;
  /** Median seconds from a failure to the next good production state (a succeeded rollback or deploy). */
  timeToRestore: number | null;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  /** The period measured, in UTC, and the calendar time zone its bounds were given in. */
  period: { from: string; to: string; timezone: string; days: number };
  /** `1.2.0..1.5.0` when the report was asked for a version range. */
  versions: string | null;
  releases: ReportRelease[];
  /** Every production-tier deploy in the period, failed ones included. */
  productionDeploys: number;
  /** Production deploys that failed, or succeeded and were then rolled back or replaced by an emergency release. */
  failedDeploys: number;
  /** Failures that were restored (a rollback or a later deploy succeeded there). */
  restores: number;
  /** The releases of the report with a verdict (`metTarget` true or false), wherever their target lies. */
  targets: { met: number; missed: number };
  dora: Dora;
  /** Per ISO week (Monday, calendar zone) of the period: deploys that succeeded and failed — for charts. */
  weeks: { week: string; succeeded: number; failed: number }[];
  /** Each failure and its restore, oldest first — for the failure/restore timeline. */
  incidents: { env: string; release: string; failedAt: string; restoredAt: string | null; by: 'rollback' | 'deploy' | 'emergency' | null }[];
  /** Lead times of every commit counted (seconds), for the distribution chart. */
  leadTimes: number[];
  /** Things the reader should know: events from a newer relmgr ignored, tags missing for lead time. */
  notes: string[];
}
