import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report/model.js';
import { deployed, ENVIRONMENTS, tested } from '../helpers/environments.js';
import { useProjects } from '../helpers/repo.js';
import { ciRunner, type JobRun } from '../helpers/workflow.js';

/*
 * Runs examples/github-actions-report.yml as GitHub Actions would (test/helpers/workflow.ts) on a
 * schedule, against a project whose release went to production and was pushed with its ledger.
 */
const RECIPE = resolve(import.meta.dirname, '../../examples/github-actions-report.yml');
const project = useProjects(afterEach, afterAll);

describe('examples/github-actions-report.yml', () => {
  it('on its schedule: the report as a page, as JSON and in the run summary; the notifications owed', async () => {
    const r = project(ENVIRONMENTS);
    await tested(r);
    await deployed(r);
    const run = ciRunner(r, RECIPE)({ name: 'schedule' });
    expect(run.failed, run.log).toBe(false);
    const job = run.jobs.report as JobRun;
    expect(job.ran).toEqual(['npm ci', 'identity', 'notify', 'report']);
    const dir = job.dir as string;
    const page = readFileSync(join(dir, 'release-report.html'), 'utf8');
    for (const chart of ['deploys-per-week', 'lead-time', 'incidents']) expect(page).toContain(`data-chart="${chart}"`);
    const report = JSON.parse(readFileSync(join(dir, 'release-report.json'), 'utf8')) as Report;
    expect(report).toMatchObject({ schema: 'relmgr/report/v1', productionDeploys: 1, failedDeploys: 0 });
    expect(report.releases.map((x) => [x.version, x.outcome])).toEqual([['1.0.1', 'deployed']]);
    // The markdown went to the run's summary (the runner's GITHUB_STEP_SUMMARY), after what relmgr writes there itself.
    const summary = join(r.home, 'work-1', 'report', 'summary.md');
    expect(existsSync(summary)).toBe(true);
    expect(readFileSync(summary, 'utf8')).toContain('### DORA metrics');
  });
});
