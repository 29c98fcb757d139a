// The `relmgr report` part of bench/run.mjs: a year of synthetic release history (bench/report-history.mjs:
// 220 releases, ~7,700 ledger events, failures, rollbacks, emergency releases), built once by one
// `git fast-import` and cached in .bench/repos/report-<N>/ with a report-<N>.json beside it (written
// last). Budget: `relmgr report` over that year under 1 s (absolute, like the ledger's).

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateReportHistory, REPORT_CONFIG } from './report-history.mjs';
import { fastImport, git } from './repos.mjs';

export const REPORT_RELEASES = 220;
const REPORT_GENERATOR = 'v1';

/** Returns { name, dir, expected: { releases, events, productionDeploys, from, to }, seconds }. */
export async function ensureReportRepo(root) {
  const name = `report-${REPORT_RELEASES}`;
  const dir = join(root, name);
  const meta = join(root, `${name}.json`);
  if (existsSync(meta)) {
    const cached = JSON.parse(readFileSync(meta, 'utf8'));
    if (cached.generator === REPORT_GENERATOR) return { name, dir, expected: cached.expected, seconds: 0 };
  }
  const started = process.hrtime.bigint();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  const history = generateReportHistory({ releases: REPORT_RELEASES });
  await fastImport(dir, history.stream);
  git(dir, ['reset', '-q', '--hard', 'main']);
  git(dir, ['config', 'user.name', 'Bench']);
  git(dir, ['config', 'user.email', 'bench@example.com']);
  writeFileSync(join(dir, 'release.config.yaml'), REPORT_CONFIG);
  const from = new Date(history.start - 86_400_000).toISOString();
  const to = new Date(history.end).toISOString();
  const productionDeploys = history.records.deploys.filter((d) => d.env === 'production').length;
  const expected = { releases: history.records.releases.length, events: history.events, productionDeploys, from, to };
  writeFileSync(meta, JSON.stringify({ generator: REPORT_GENERATOR, expected }));
  return { name, dir, expected, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
