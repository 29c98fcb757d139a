import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateReportHistory, REPORT_CONFIG } from '../../bench/report-history.mjs';
import type { TestRepo } from './repo.js';

/** Writes a year of synthetic history into a fresh repository (one fast-import), with the report's config; returns the generator's records. */
export function writeHistory(r: TestRepo, options: Parameters<typeof generateReportHistory>[0] = {}): ReturnType<typeof generateReportHistory> {
  const history = generateReportHistory(options);
  execFileSync('git', ['fast-import', '--quiet', '--done'], { cwd: r.dir, env: r.env, input: history.stream });
  r.git('reset', '-q', '--hard', 'main');
  writeFileSync(join(r.dir, 'release.config.yaml'), REPORT_CONFIG);
  return history;
}
