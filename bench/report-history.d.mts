// Types of bench/report-history.mjs, for the tests that use it.
export const REPORT_CONFIG: string;

export interface DeployRecord {
  version: string;
  env: string;
  /** Epoch milliseconds. */
  at: number;
  outcome: 'succeeded' | 'failed';
  /** Failed, or succeeded and then rolled back or replaced by an emergency release. */
  bad: boolean;
  restoredAt: number | null;
}

export interface ReleaseRecord {
  version: string;
  track: 'normal' | 'emergency';
  plannedAt: number;
  target: number | null;
  firstProduction: number | null;
  /** Committer times (epoch seconds) of the commits it shipped first. */
  commits: number[];
  abandoned: boolean;
}

export function generateReportHistory(options?: { releases?: number; seed?: number; start?: number; newer?: boolean }): {
  stream: string;
  records: { deploys: DeployRecord[]; releases: ReleaseRecord[] };
  start: number;
  end: number;
  events: number;
};
