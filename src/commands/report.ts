import type { Context } from '../context.js';
import { buildReport } from '../engine/report.js';
import { prepare, type GlobalOptions } from '../engine/prepare.js';
import { printJson } from '../ui/output.js';
import { renderReportMarkdown, renderReportText } from '../ui/report-text.js';

export interface ReportOptions extends GlobalOptions {
  from?: string;
  to?: string;
  versions?: string;
  format?: 'text' | 'markdown';
}

/** `relmgr report`: the release history of a period (or a version range) and the four DORA metrics. */
export async function run(ctx: Context, options: ReportOptions): Promise<number> {
  const prepared = await prepare(ctx, options);
  const report = await buildReport(ctx, prepared, { from: options.from, to: options.to, versions: options.versions });
  if (options.json) printJson(ctx.stdout, report);
  else ctx.stdout.write(options.format === 'markdown' ? renderReportMarkdown(report) : renderReportText(report));
  return 0;
}
