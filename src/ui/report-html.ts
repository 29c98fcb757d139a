import { DateTime } from 'luxon';
import { levels as doraLevels, type Level as DoraLevel } from '../core/report/levels.js';
import type { Report } from '../core/report/model.js';
import { deploysPerWeekChart, leadTimeChart } from './report-charts.js';
import { REPORT_CSS } from './report-style.js';
import { esc, humanDuration } from './report-svg.js';
import { releasesTable } from './report-table.js';
import { incidentsChart, incidentsList } from './report-timeline.js';

/*
 * `relmgr report --html <file>`: one self-contained page from the report's document — inline CSS,
 * server-side SVG charts, no script, nothing fetched (it works offline and prints), light and dark.
 * Everything that comes from data is escaped.
 */

export interface ReportHtmlOptions {
  project: string;
  generatedAt: Date;
  /** The calendar's time zone: the period, the table's times and the timeline's axis are shown in it. */
  timezone: string;
}

const day = (at: DateTime): string => at.toFormat('d LLL yyyy');

/** `1 Jun 2026 – 30 Nov 2026`: an end at midnight is exclusive, so the last day shown is the one before it. */
export function periodText(period: Report['period'], zone: string): string {
  const from = DateTime.fromISO(period.from, { zone }).setLocale('en-GB');
  let to = DateTime.fromISO(period.to, { zone }).setLocale('en-GB');
  if (to.equals(to.startOf('day')) && to > from) to = to.minus({ milliseconds: 1 });
  return `${day(from)} – ${day(to)}`;
}

interface Tile {
  name: string;
  title: string;
  value: string | null;
  sub: string;
  level: DoraLevel | null;
}

function tile(t: Tile): string {
  const level = t.level ?? 'none';
  const badge = t.value === null ? 'no data' : (t.level ?? 'no data');
  return (
    `<div class="tile ${level}" data-metric="${t.name}" data-level="${level}">` +
    `<h3>${esc(t.title)}</h3><div class="value">${esc(t.value ?? '—')}</div>` +
    `<div class="sub">${esc(t.sub)}</div><span class="level ${level}">${esc(badge)}</span></div>`
  );
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the frequency is computed from: the production deploys that succeeded, of all of them, over the period. */
function frequencySub(report: Report): string {
  const succeeded = report.weeks.reduce((n, w) => n + w.succeeded, 0);
  const days = plural(report.period.days, 'day');
  if (report.productionDeploys === 0) return `no production deploys in ${days}`;
  if (report.dora.deploymentFrequency === null) return `${succeeded} succeeded of ${plural(report.productionDeploys, 'production deploy')}: no rate for less than a week`;
  return `${succeeded} succeeded of ${plural(report.productionDeploys, 'production deploy')} in ${days}`;
}

function tiles(report: Report): string {
  const { dora } = report;
  const levels = doraLevels(dora);
  const lead = dora.leadTimeForChanges;
  const perWeek = dora.deploymentFrequency;
  const rate = dora.changeFailureRate;
  const list: Tile[] = [
    {
      name: 'deployment-frequency',
      title: 'Deployment frequency',
      value: perWeek === null ? null : `${perWeek < 10 ? Math.round(perWeek * 10) / 10 : Math.round(perWeek)} / week`,
      sub: frequencySub(report),
      level: levels.deploymentFrequency,
    },
    {
      name: 'lead-time',
      title: 'Lead time for changes',
      value: lead.median === null ? null : humanDuration(lead.median),
      sub: lead.median === null ? 'no commits reached production' : `median · p90 ${lead.p90 === null ? '—' : humanDuration(lead.p90)} · ${plural(lead.count, 'commit')}`,
      level: levels.leadTimeForChanges,
    },
    {
      name: 'change-failure-rate',
      title: 'Change failure rate',
      value: rate === null ? null : `${rate * 100 < 10 ? Math.round(rate * 1000) / 10 : Math.round(rate * 100)} %`,
      sub: `${report.failedDeploys} of ${plural(report.productionDeploys, 'production deploy')} failed`,
      level: levels.changeFailureRate,
    },
    {
      name: 'time-to-restore',
      title: 'Time to restore',
      value: dora.timeToRestore === null ? null : humanDuration(dora.timeToRestore),
      sub: dora.timeToRestore === null ? 'nothing to restore' : `median · ${report.restores} of ${plural(report.incidents.length, 'failure')} restored`,
      level: levels.timeToRestore,
    },
  ];
  return `<div class="tiles">${list.map(tile).join('')}</div>`;
}

function summary(report: Report): string {
  const emergencies = report.releases.filter((r) => r.track === 'emergency').length;
  const items = [
    [report.releases.length, report.releases.length === 1 ? 'release' : 'releases'],
    [report.productionDeploys, report.productionDeploys === 1 ? 'production deploy' : 'production deploys'],
    [report.failedDeploys, 'failed'],
    [report.restores, 'restored'],
    [emergencies, emergencies === 1 ? 'emergency release' : 'emergency releases'],
    [report.targets.met, report.targets.met === 1 ? 'target met' : 'targets met'],
    [report.targets.missed, report.targets.missed === 1 ? 'target missed' : 'targets missed'],
  ] as const;
  return `<div class="summary" data-summary>${items.map(([n, label]) => `<span><b>${n}</b> ${label}</span>`).join('')}</div>`;
}

function section(title: string, body: string, wide = false): string {
  return `<section${wide ? ' class="wide"' : ''}><h2>${esc(title)}</h2>\n${body}\n</section>`;
}

/** A page `renderReportHtml` wrote (and may write again): relmgr never overwrites any other file. */
export const isReportPage = (text: string): boolean => text.includes('<meta name="generator" content="relmgr report">');

export function renderReportHtml(report: Report, options: ReportHtmlOptions): string {
  const zone = options.timezone;
  const period = periodText(report.period, zone);
  const generated = DateTime.fromJSDate(options.generatedAt, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy HH:mm');
  const scope = report.versions === null ? '' : ` · versions ${esc(report.versions)}`;
  const notes =
    report.notes.length === 0 ? '' : section('Notes', `<ul class="notes" data-notes>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="relmgr report">
<title>${esc(options.project)} — release report, ${esc(period)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(options.project)} — release report</h1>
<p>${esc(period)} <span class="muted">(${esc(zone)})</span>${scope} · generated ${esc(generated)}</p>
</header>
${tiles(report)}
${summary(report)}
<div class="charts">
${section('Deploys per week', deploysPerWeekChart(report), true)}
${section('Lead time for changes', leadTimeChart(report), true)}
${section('Failures and restores', incidentsChart(report, zone, options.generatedAt) + incidentsList(report, zone), true)}
</div>
${section(`Releases (${report.releases.length})`, releasesTable(report.releases, zone), true)}
${notes}
<footer>Levels are the DORA 2023 performance levels. Times are in ${esc(zone)}. This page is self-contained: it fetches nothing and works offline.</footer>
</main>
</body>
</html>
`;
}
