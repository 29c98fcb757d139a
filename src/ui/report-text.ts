import { DateTime } from 'luxon';
import { targetDue } from '../core/report/compute.js';
import { humanDuration, levels, type Level } from '../core/report/levels.js';
import type { Report, ReportRelease } from '../core/report/model.js';

/*
 * `relmgr report` as text (a table and the four metrics in words) or GitHub-flavoured markdown
 * (a wiki page, a PR comment): the same facts, times in the calendar's zone.
 */

export type ReportFormat = 'text' | 'markdown';

const DASH = '—';

/** One formatter per zone: a table of a year formats a thousand times (luxon per cell costs ~0.2 ms). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function localTime(at: string | null, zone: string): string {
  if (at === null) return DASH;
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}
const localDay = (at: string, zone: string): string => DateTime.fromISO(at, { zone: 'UTC' }).setZone(zone).toFormat('yyyy-LL-dd');

/** The period in words: `2026-09-01 – 2026-11-30 (Europe/Berlin)`, its end inclusive (the day before an end at midnight). */
export function periodWords(report: Report): string {
  const zone = report.period.timezone;
  const end = DateTime.fromISO(report.period.to, { zone: 'UTC' }).setZone(zone);
  const last = end.equals(end.startOf('day')) ? end.minus({ milliseconds: 1 }) : end;
  return `${localDay(report.period.from, zone)} – ${last.toFormat('yyyy-LL-dd')} (${zone})`;
}

const environments = (r: ReportRelease): string =>
  r.environments.length === 0 ? DASH : r.environments.map((e) => `${e.name}${e.result === 'failed' ? ' ✖' : e.result === 'rolled_back' ? ' ↶' : ''}`).join(', ');
const approvedBy = (r: ReportRelease): string => {
  const names = [...new Set(r.approvals.filter((a) => a.decision === 'approved').map((a) => a.by))];
  return names.length === 0 ? DASH : names.join(', ');
};
const targetWord = (r: ReportRelease): string => (r.metTarget === true ? 'met' : r.metTarget === false ? 'missed' : targetDue(r) ? 'due' : DASH);

function rows(report: Report): string[][] {
  const zone = report.period.timezone;
  return report.releases.map((r) => [r.version, r.track, localTime(r.plannedAt, zone), localTime(r.deployedAt, zone), localTime(r.closedAt, zone), environments(r), r.outcome.replace('_', ' '), approvedBy(r), targetWord(r)]);
}

const HEADER = ['version', 'track', 'planned', 'deployed', 'closed', 'environments', 'outcome', 'approved by', 'target'];

const level = (value: Level | null): string => (value === null ? '' : ` (${value})`);
const percent = (rate: number): string => `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;

/** The four metrics in words, each with its DORA performance level. */
export function metricLines(report: Report): string[] {
  const { dora } = report;
  const lv = levels(dora);
  const lead = dora.leadTimeForChanges;
  return [
    `Deployment frequency ${dora.deploymentFrequency === null ? DASH : `${dora.deploymentFrequency.toFixed(1)} per week`}${level(lv.deploymentFrequency)}`,
    `Lead time for changes ${lead.median === null || lead.p90 === null ? DASH : `median ${humanDuration(lead.median)}, p90 ${humanDuration(lead.p90)} (${lead.count} commit${lead.count === 1 ? '' : 's'})`}${level(lv.leadTimeForChanges)}`,
    `Change failure rate ${dora.changeFailureRate === null ? DASH : `${percent(dora.changeFailureRate)} (${report.failedDeploys} of ${report.productionDeploys} production deploys)`}${level(lv.changeFailureRate)}`,
    `Time to restore ${dora.timeToRestore === null ? DASH : `median ${humanDuration(dora.timeToRestore)} (${report.restores} restored of ${report.failedDeploys} failure${report.failedDeploys === 1 ? '' : 's'})`}${level(lv.timeToRestore)}`,
    ...(report.targets.met + report.targets.missed > 0 ? [`Targets met ${report.targets.met}, missed ${report.targets.missed}`] : []),
  ];
}

function heading(report: Report): string {
  return report.versions ? `Releases ${report.versions}: ${periodWords(report)}` : `Releases ${periodWords(report)}`;
}

const empty = (report: Report): string => `no releases between ${periodWords(report).replace(' – ', ' and ')}`;

/** The report as plain text: a heading, the releases table, the metrics, the notes. */
export function renderReportText(report: Report): string {
  const lines = [heading(report), ''];
  if (report.releases.length === 0) lines.push(empty(report));
  else {
    const table = [HEADER, ...rows(report)];
    const widths = HEADER.map((_, i) => Math.max(...table.map((row) => [...(row[i] ?? '')].length)));
    for (const row of table) lines.push(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  }
  lines.push('', ...metricLines(report));
  if (report.notes.length > 0) lines.push('', ...report.notes.map((note) => `note: ${note}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Markdown text as typed, and inert: `&`, `<` and `>` as entities (no HTML gets through), markdown's
 * punctuation backslash-escaped (no emphasis, code, link or extra cell), no line breaks.
 */
const cell = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_~[\]|#!]/g, (c) => `\\${c}`)
    .replace(/\n/g, ' ');

/** The report as GitHub-flavoured markdown: a heading, the releases table, the metrics as a list, the notes. */
export function renderReportMarkdown(report: Report): string {
  const lines = [`## ${heading(report)}`, ''];
  if (report.releases.length === 0) lines.push(`_${empty(report)}_`);
  else {
    lines.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => ' --- ').join('|')}|`);
    for (const row of rows(report)) lines.push(`| ${row.map(cell).join(' | ')} |`);
  }
  lines.push('', '### DORA metrics', '', ...metricLines(report).map((line) => `- ${line}`));
  if (report.notes.length > 0) lines.push('', ...report.notes.map((note) => `> **Note:** ${cell(note)}`));
  return `${lines.join('\n')}\n`;
}
