import { DateTime } from 'luxon';
import type { Report } from '../core/report/model.js';
import { emptyChart, esc, humanDuration, niceScale, num, svgChart, yAxis } from './report-svg.js';

/*
 * The report's bar charts, drawn server-side as SVG: deploys per week (stacked succeeded/failed) and the
 * lead-time distribution (human buckets, median and p90 marked). One element per datum, named by a data
 * attribute, so a reader's tooltip and a test both find them.
 */

export const NO_DEPLOYS = 'no deploys in this period';

const WIDTH = 1000;

/** `2026-06-01` or `2026-W23` → `1 Jun` (the week's Monday); anything else as it is. */
export function weekLabel(week: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(week) || /^\d{4}-W\d{2}$/.test(week) ? DateTime.fromISO(week, { zone: 'UTC' }) : null;
  return date?.isValid ? date.setLocale('en-GB').toFormat('d LLL') : week;
}

export function deploysPerWeekChart(report: Report): string {
  const frame = { name: 'deploys-per-week', title: 'Deploys per week', desc: '', width: WIDTH, height: 240 };
  const weeks = report.weeks;
  const total = weeks.reduce((sum, w) => sum + w.succeeded + w.failed, 0);
  if (weeks.length === 0 || total === 0) return emptyChart(frame, NO_DEPLOYS);
  const failed = weeks.reduce((sum, w) => sum + w.failed, 0);
  const [left, right, top, bottom] = [40, WIDTH - 12, 30, frame.height - 36];
  const busiest = Math.max(...weeks.map((w) => w.succeeded + w.failed));
  const scale = niceScale(busiest);
  const slot = (right - left) / weeks.length;
  const barWidth = Math.min(36, slot * 0.72);
  const y = (value: number): number => bottom - ((bottom - top) * value) / scale.top;
  const every = Math.ceil(weeks.length / 13);
  const bars = weeks.map((w, i) => {
    const x = left + slot * i + (slot - barWidth) / 2;
    const tip = `week of ${weekLabel(w.week)}: ${w.succeeded} succeeded, ${w.failed} failed`;
    const ok = w.succeeded > 0 ? `<rect class="ok" x="${num(x)}" y="${num(y(w.succeeded))}" width="${num(barWidth)}" height="${num(bottom - y(w.succeeded))}"/>` : '';
    const bad = w.failed > 0 ? `<rect class="bad" x="${num(x)}" y="${num(y(w.succeeded + w.failed))}" width="${num(barWidth)}" height="${num(y(w.succeeded) - y(w.succeeded + w.failed))}"/>` : '';
    const label = i % every === 0 ? `<text class="tick" x="${num(x + barWidth / 2)}" y="${bottom + 16}" text-anchor="middle">${esc(weekLabel(w.week))}</text>` : '';
    return `<g data-week="${esc(w.week)}" data-succeeded="${w.succeeded}" data-failed="${w.failed}"><title>${esc(tip)}</title>${ok}${bad}${label}</g>`;
  });
  const legend =
    `<g class="legend"><rect class="ok" x="${right - 170}" y="6" width="10" height="10" rx="2"/><text x="${right - 155}" y="15">succeeded</text>` +
    `<rect class="bad" x="${right - 80}" y="6" width="10" height="10" rx="2"/><text x="${right - 65}" y="15">failed</text></g>`;
  const desc = `${total} production deploys over ${weeks.length} weeks, ${failed} failed; the busiest week had ${busiest}.`;
  return svgChart(
    { ...frame, desc },
    `${yAxis(scale, left, right, bottom, top)}<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>${legend}\n${bars.join('\n')}`,
  );
}

const H = 3600;
const D = 24 * H;

/** The lead-time buckets: [label, from, to) in seconds. */
export const LEAD_TIME_BUCKETS: [string, number, number][] = [
  ['< 1 h', 0, H],
  ['1–4 h', H, 4 * H],
  ['4–24 h', 4 * H, D],
  ['1–3 d', D, 3 * D],
  ['3–7 d', 3 * D, 7 * D],
  ['1–2 w', 7 * D, 14 * D],
  ['> 2 w', 14 * D, Infinity],
];

export function bucketOf(seconds: number): number {
  const index = LEAD_TIME_BUCKETS.findIndex(([, from, to]) => seconds >= from && seconds < to);
  return index < 0 ? 0 : index;
}

/** Nearest rank, as the report computes it. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Where a value sits along the bucket axis: its bucket's slot, and inside it on a log scale. */
function position(seconds: number, left: number, slot: number): number {
  const index = bucketOf(seconds);
  const [, from, to] = LEAD_TIME_BUCKETS[index] as [string, number, number];
  const lo = Math.max(from, 60);
  const hi = Number.isFinite(to) ? to : 60 * D;
  const fraction = Math.min(1, Math.max(0, Math.log(Math.max(seconds, lo) / lo) / Math.log(hi / lo)));
  return left + slot * (index + fraction);
}

export function leadTimeChart(report: Report): string {
  const frame = { name: 'lead-time', title: 'Lead time for changes', desc: '', width: WIDTH, height: 240 };
  const values = report.leadTimes;
  if (values.length === 0) return emptyChart(frame, NO_DEPLOYS);
  const counts = LEAD_TIME_BUCKETS.map(() => 0);
  for (const v of values) counts[bucketOf(v)] = (counts[bucketOf(v)] as number) + 1;
  // The tallest bar's count stays below the median and p90 labels (at 14 and 30).
  const [left, right, top, bottom] = [40, WIDTH - 12, 54, frame.height - 36];
  const scale = niceScale(Math.max(...counts));
  const slot = (right - left) / LEAD_TIME_BUCKETS.length;
  const y = (value: number): number => bottom - ((bottom - top) * value) / scale.top;
  const bars = LEAD_TIME_BUCKETS.map(([label], i) => {
    const count = counts[i] as number;
    const x = left + slot * i + slot * 0.12;
    const rect = count > 0 ? `<rect class="lead" x="${num(x)}" y="${num(y(count))}" width="${num(slot * 0.76)}" height="${num(bottom - y(count))}"/>` : '';
    const value = count > 0 ? `<text class="value" x="${num(x + slot * 0.38)}" y="${num(y(count) - 5)}" text-anchor="middle">${count}</text>` : '';
    const tick = `<text class="tick" x="${num(x + slot * 0.38)}" y="${bottom + 16}" text-anchor="middle">${esc(label)}</text>`;
    return `<g data-bucket="${esc(label)}" data-count="${count}"><title>${esc(`${label}: ${count} commit${count === 1 ? '' : 's'}`)}</title>${rect}${value}${tick}</g>`;
  });
  const median = report.dora.leadTimeForChanges.median ?? percentile(values, 50);
  const p90 = report.dora.leadTimeForChanges.p90 ?? percentile(values, 90);
  const marked: [string, number | null, number][] = [
    ['median', median, 14],
    ['p90', p90, 30],
  ];
  const markers = marked
    .filter((m): m is [string, number, number] => m[1] !== null)
    .map(([name, value, labelY]) => {
      const x = position(value, left, slot);
      const anchor = x > right - 120 ? 'end' : 'start';
      const text = `${name} ${humanDuration(value)}`;
      return `<g data-marker="${name}" class="marker ${name}"><line x1="${num(x)}" x2="${num(x)}" y1="${labelY - 4}" y2="${bottom}"/><text x="${num(anchor === 'start' ? x + 5 : x - 5)}" y="${labelY}" text-anchor="${anchor}">${esc(text)}</text></g>`;
    });
  const desc = `${values.length} commits from commit to production; median ${median === null ? 'none' : humanDuration(median)}, p90 ${p90 === null ? 'none' : humanDuration(p90)}.`;
  return svgChart(
    { ...frame, desc },
    `${yAxis(scale, left, right, bottom, top)}<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>\n${bars.join('\n')}\n${markers.join('\n')}`,
  );
}
