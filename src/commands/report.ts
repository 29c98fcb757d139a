import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { projectName } from '../engine/project.js';
import { buildReport } from '../engine/report.js';
import { prepare, type GlobalOptions } from '../engine/prepare.js';
import { UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { isReportPage, renderReportHtml } from '../ui/report-html.js';
import { renderReportMarkdown, renderReportText } from '../ui/report-text.js';

export interface ReportOptions extends GlobalOptions {
  from?: string;
  to?: string;
  versions?: string;
  format?: 'text' | 'markdown';
  html?: string;
}

/** `relmgr report`: the release history of a period (or a version range) and the four DORA metrics. */
export async function run(ctx: Context, options: ReportOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const report = await buildReport(ctx, prepared, { from: options.from, to: options.to, versions: options.versions });
  if (options.html !== undefined) {
    // The page is written whole or not at all, and only over a page relmgr wrote before.
    const path = resolve(prepared.cwd, options.html);
    const existing = await ctx.fs.readText(path);
    if (existing !== undefined && !isReportPage(existing)) {
      throw new UsageError('E_NOT_OURS', `${options.html} exists and is not a report page relmgr wrote: relmgr does not overwrite it`, { hint: 'name a new file: relmgr report --html release-report.html' });
    }
    const project = await projectName(ctx.fs, prepared.info.root, prepared.settings.project);
    await ctx.fs.writeTextAtomic(path, renderReportHtml(report, { project, generatedAt: ctx.wallClock.now(), timezone: report.period.timezone }));
    ctx.stderr.write(`wrote the report (${report.releases.length} release${report.releases.length === 1 ? '' : 's'}, with charts) to ${options.html}: one self-contained page, open it in a browser\n`);
    if (!options.json && options.format === undefined) return 0;
  }
  if (options.json) printJson(ctx.stdout, report);
  else ctx.stdout.write(options.format === 'markdown' ? renderReportMarkdown(report) : renderReportText(report));
  return 0;
}
