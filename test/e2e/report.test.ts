import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report/model.js';
import { deployed, ENVIRONMENTS, tested } from '../helpers/environments.js';
import { run, useProjects, type TestRepo } from '../helpers/repo.js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const project = useProjects(afterEach, afterAll);


const json = async (r: TestRepo, ...args: string[]): Promise<Report> => {
  const result = await run(r, ['report', '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
};

/** 1.0.1 in production; 1.0.2 (one more fix) in staging, its production deploy failed and rolled back to 1.0.1 (exit 21). */
async function rolledBackInProduction(): Promise<TestRepo> {
  const r = project(ENVIRONMENTS);
  await tested(r);
  await deployed(r);
  r.commit('fix: one', { file: 'one.txt' });
  await tested(r, 'two');
  await deployed(r, ['staging']);
  writeFileSync(join(r.home, 'fail-production'), '');
  expect((await run(r, ['deploy', 'production'])).code).toBe(21);
  return r;
}

describe('relmgr report', () => {
  it('reports the releases of the last 90 days from the ledger and git, with the four metrics', async () => {
    const r = await rolledBackInProduction();
    const report = await json(r);
    expect(report.schema).toBe('relmgr/report/v1');
    expect(report.period.timezone).toBe('UTC');
    expect(report.period.days).toBe(90);
    expect(report.releases.map((x) => [x.version, x.track, x.outcome])).toEqual([
      ['1.0.1', 'normal', 'deployed'],
      ['1.0.2', 'normal', 'rolled_back'],
    ]);
    expect(report.releases[0]).toMatchObject({ plannedBy: 'Test Author', tag: 'v1.0.1', commits: 1, leadTime: { count: 1 } });
    expect(report.releases[0]?.cutAt).not.toBeNull();
    expect(report.releases[0]?.environments.map((e) => [e.name, e.production, e.result])).toEqual([
      ['staging', false, 'succeeded'],
      ['production', true, 'succeeded'],
    ]);
    // 1.0.2 shipped two commits first (its release commit excluded), but never reached production: no lead time
    expect(report.releases[1]).toMatchObject({ deployedAt: null, commits: 2, leadTime: { count: 0 } });
    expect(report.releases[1]?.environments.map((e) => [e.name, e.result])).toEqual([
      ['staging', 'succeeded'],
      ['production', 'rolled_back'],
    ]);
    expect(report).toMatchObject({ productionDeploys: 2, failedDeploys: 1, restores: 1, targets: { met: 0, missed: 0 }, notes: [] });
    expect(report.incidents).toEqual([expect.objectContaining({ env: 'production', release: '1.0.2', by: 'rollback' })]);
    expect(report.dora.changeFailureRate).toBe(0.5);
    expect(report.dora.deploymentFrequency).toBe(Math.round((1 / (90 / 7)) * 1000) / 1000);
    expect(report.dora.leadTimeForChanges.count).toBe(1);
    expect(report.dora.timeToRestore).not.toBeNull();

    const text = await run(r, ['report']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\n1\.0\.2 +normal +\d{4}-\d\d-\d\d \d\d:\d\d +— +— +staging, production ↶ +rolled back +— +—\n/);
    expect(text.stdout).toContain('Change failure rate 50% (1 of 2 production deploys) (low)');
    const md = await run(r, ['report', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^## Releases .* \(UTC\)\n\n\| version \| track \|/);
    expect(md.stdout).toContain('### DORA metrics');

    // --html: one page with its charts, written over its own earlier page, never over a file someone else wrote
    const page = join(r.dir, 'report.html');
    const html = await run(r, ['report', '--html', 'report.html']);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toBe('');
    expect(html.stderr).toContain('wrote the report (2 releases, with charts) to report.html');
    const written = readFileSync(page, 'utf8');
    for (const chart of ['deploys-per-week', 'lead-time', 'incidents']) expect(written).toContain(`data-chart="${chart}`);
    expect(written.match(/<tr data-release=/g)).toHaveLength(2);
    expect((await run(r, ['report', '--html', 'report.html'])).code).toBe(0);
    writeFileSync(join(r.dir, 'notes.html'), '<p>my notes</p>');
    const refused = await run(r, ['report', '--html', 'notes.html']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error[E_NOT_OURS]: notes.html exists and is not a report page relmgr wrote');
    expect(readFileSync(join(r.dir, 'notes.html'), 'utf8')).toBe('<p>my notes</p>');
  });

  it('the commits of a release that never reached production count with the next release that did', async () => {
    const r = await rolledBackInProduction();
    const close = await run(r, ['close', '--note', 'rolled back']);
    expect(close.code, close.stderr).toBe(0);
    rmSync(join(r.home, 'fail-production'));
    await tested(r, 'three');
    await deployed(r);
    const report = await json(r);
    expect(report.releases.map((x) => [x.version, x.deployedAt === null, x.commits, x.leadTime.count])).toEqual([
      ['1.0.1', false, 1, 1],
      ['1.0.2', true, 0, 0],
      ['1.0.3', false, 3, 3],
    ]);
    expect(report.dora.leadTimeForChanges.count).toBe(4);
    // a range holding only the release that shipped them: the same three commits
    expect((await json(r, '--versions', '1.0.3..1.0.3')).releases[0]).toMatchObject({ version: '1.0.3', commits: 3, leadTime: { count: 3 } });
    // a range ending at the release that never reached production: the one that shipped its commits is past the range
    expect((await json(r, '--versions', '1.0.2..1.0.2')).releases[0]).toMatchObject({ version: '1.0.2', commits: 0, leadTime: { count: 0 } });
  });

  it('a version range: the releases in it; an end no release has is refused with the nearest versions', async () => {
    const r = project(ENVIRONMENTS);
    await tested(r);
    await deployed(r);
    await tested(r, 'two');
    await deployed(r);
    expect((await json(r, '--versions', '1.0.2..1.0.2')).releases.map((x) => x.version)).toEqual(['1.0.2']);
    expect((await json(r, '--versions', 'v1.0.1..v1.0.2')).releases.map((x) => x.version)).toEqual(['1.0.1', '1.0.2']);
    const unknown = await run(r, ['report', '--versions', '1.0.1..1.0.5']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('error[E_NO_RELEASE]: --versions 1.0.1..1.0.5: no release has version 1.0.5');
    expect(unknown.stderr).toContain('hint: the nearest known: 1.0.2; try: relmgr report --versions 1.0.1..1.0.2');
    // the hint's command works
    expect((await run(r, ['report', '--versions', '1.0.1..1.0.2'])).code).toBe(0);
    const below = await run(r, ['report', '--versions', '0.9.0..1.0.1']);
    expect(below.code).toBe(3);
    expect(below.stderr).toContain('hint: the nearest known: 1.0.1; try: relmgr report --versions 1.0.1..1.0.1');
  });

  it.each([
    [['--from', 'yesterday'], /error\[E_USAGE\]: --from "yesterday" is not a date: use YYYY-MM-DD/],
    [['--to', '2026-02-30'], /error\[E_USAGE\]: --to "2026-02-30" is not a date/],
    [['--from', '2026-10-02', '--to', '2026-10-01'], /error\[E_USAGE\]: --from 2026-10-02 is not before --to 2026-10-01/],
    [['--versions', '1.0.1..1.0.2', '--from', '2026-01-01'], /error\[E_USAGE\]: --versions and --from\/--to each say what the report covers/],
    [['--versions', '1.0'], /error\[E_USAGE\]: --versions "1.0" is not a version range: use <a>\.\.<b>/],
    [['--format', 'html'], /error\[E_USAGE\]: option '--format <format>' argument 'html' is invalid/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = project(ENVIRONMENTS);
    const result = await run(r, ['report', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('an empty period says so and exits 0; a release whose tag is not here gets no lead time and a note', async () => {
    const r = project(ENVIRONMENTS);
    const empty = await run(r, ['report', '--from', '2020-01-01', '--to', '2020-01-31']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('no releases between 2020-01-01 and 2020-01-31 (UTC)');
    expect(empty.stdout).toContain('Lead time for changes —');
    expect((await json(r, '--from', '2020-01-01', '--to', '2020-01-31')).dora).toEqual({ deploymentFrequency: null, leadTimeForChanges: { median: null, p90: null, count: 0 }, changeFailureRate: null, timeToRestore: null });
    await tested(r);
    await deployed(r);
    r.git('tag', '-d', 'v1.0.1');
    const report = await json(r);
    expect(report.releases[0]).toMatchObject({ version: '1.0.1', commits: 0, leadTime: { count: 0 } });
    expect(report.notes).toEqual(['no lead time for 1.0.1: its tag v1.0.1 is not in this clone (fetch it: git fetch --tags)']);
    expect((await run(r, ['report'])).stdout).toContain('note: no lead time for 1.0.1: its tag v1.0.1 is not in this clone');
  });
});
