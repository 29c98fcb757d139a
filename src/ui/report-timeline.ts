import { DateTime } from 'luxon';
import type { Report } from '../core/report/model.js';
import { NO_DEPLOYS } from './report-charts.js';
import { emptyChart, esc, humanDuration, num, svgChart } from './report-svg.js';

/*
 * The failure/restore timeline: one row per environment over the period's time axis, each failure a bar
 * from when it failed to when it was restored — open-ended (to now, or the period's end), and marked, while it is not.
 */

export const NO_FAILURES = 'no failures in this period: nothing to restore';

const WIDTH = 1000;
const ROW = 30;

/** The axis ticks: the first of each month in the calendar zone, or each Monday for a period under seven weeks. */
function ticks(from: DateTime, to: DateTime): { at: DateTime; label: string }[] {
  const weekly = to.diff(from, 'days').days < 49;
  const unit = weekly ? 'week' : 'month';
  const found: { at: DateTime; label: string }[] = [];
  for (let at = from.startOf(unit); at < to; at = at.plus(weekly ? { weeks: 1 } : { months: 1 })) {
    if (at >= from) found.push({ at, label: at.toFormat(weekly ? 'd LLL' : at.month === 1 ? 'LLL yyyy' : 'LLL') });
  }
  return found;
}

/** About how wide a character of a label is (12px system font), to keep names inside the chart and apart. */
const LABEL_CHAR = 7;

/** Where a label of `width` goes for a mark at `x`: centred on it, or aligned to the chart's edge when it would cross it. */
export function labelBox(x: number, width: number, left: number, right: number): { x: number; anchor: 'start' | 'middle' | 'end'; from: number; to: number } {
  if (x - width / 2 < left) return { x: Math.max(x, left), anchor: 'start', from: Math.max(x, left), to: Math.max(x, left) + width };
  if (x + width / 2 > right) return { x: right, anchor: 'end', from: right - width, to: right };
  return { x, anchor: 'middle', from: x - width / 2, to: x + width / 2 };
}

const BY: Record<string, string> = { rollback: 'a rollback', deploy: 'a later deploy', emergency: 'an emergency release' };

type When = (iso: string) => string;

function tipOf(incident: Report['incidents'][number], when: When): string {
  const restored = incident.restoredAt === null ? null : Date.parse(incident.restoredAt);
  return restored === null
    ? `${incident.env} · ${incident.release}: failed ${when(incident.failedAt)}, not restored`
    : `${incident.env} · ${incident.release}: failed ${when(incident.failedAt)}, restored after ${humanDuration((restored - Date.parse(incident.failedAt)) / 1000)}${incident.by ? ` by ${BY[incident.by] ?? incident.by}` : ''}`;
}

const whenIn =
  (zone: string): When =>
  (iso) => {
    const at = DateTime.fromISO(iso, { zone }).setLocale('en-GB');
    return at.isValid ? at.toFormat('ccc d LLL HH:mm') : iso;
  };

/** Every failure in words, under the chart (the chart names those it has room for; each bar has the same words as a tooltip). */
export function incidentsList(report: Report, zone: string): string {
  if (report.incidents.length === 0) return '';
  const items = report.incidents.map((incident, n) => `<li data-incident-item="${n}">${esc(tipOf(incident, whenIn(zone)))}</li>`);
  return `<details class="incident-list"><summary>Every failure (${report.incidents.length})</summary><ol>${items.join('')}</ol></details>`;
}

/** `now`: an open failure runs to it (or to the period's end, when that came first). */
export function incidentsChart(report: Report, zone: string, now?: Date): string {
  const incidents = report.incidents;
  const envs = [...new Set(incidents.map((i) => i.env))];
  const frame = { name: 'incidents', title: 'Failures and restores', desc: '', width: WIDTH, height: 44 + Math.max(1, envs.length) * ROW + 30 };
  if (incidents.length === 0) return emptyChart({ ...frame, height: 120 }, report.productionDeploys === 0 ? NO_DEPLOYS : NO_FAILURES);
  const from = DateTime.fromISO(report.period.from, { zone }).setLocale('en-GB');
  const to = DateTime.fromISO(report.period.to, { zone }).setLocale('en-GB');
  const [left, right, top] = [120, WIDTH - 16, 34];
  const bottom = top + envs.length * ROW;
  const span = Math.max(1, to.toMillis() - from.toMillis());
  const x = (ms: number): number => left + ((right - left) * Math.min(Math.max(ms - from.toMillis(), 0), span)) / span;
  const when = whenIn(zone);
  const rows = envs.map((env, i) => {
    const y = top + i * ROW;
    return `<g class="row"><rect class="band${i % 2 ? ' odd' : ''}" x="${left}" y="${y}" width="${right - left}" height="${ROW}"/><text class="env" x="${left - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${esc(env)}</text></g>`;
  });
  const axis = ticks(from, to).map(({ at, label }) => {
    const tx = x(at.toMillis());
    return `<line class="grid" x1="${num(tx)}" x2="${num(tx)}" y1="${top}" y2="${bottom}"/><text class="tick" x="${num(tx)}" y="${bottom + 16}" text-anchor="middle">${esc(label)}</text>`;
  });
  const lastLabel = new Map<string, number>();
  const bars = incidents.map((incident, n) => {
    const y = top + envs.indexOf(incident.env) * ROW + 7;
    const failed = Date.parse(incident.failedAt);
    const restored = incident.restoredAt === null ? null : Date.parse(incident.restoredAt);
    const x1 = x(failed);
    const x2 = Math.max(x(restored ?? Math.min(to.toMillis(), now?.getTime() ?? Infinity)), x1 + 5);
    const tip = tipOf(incident, when);
    const open = restored === null ? `<path class="open-end" d="M${num(x2)} ${y - 3}l7 ${(ROW - 14) / 2 + 3}l-7 ${(ROW - 14) / 2 + 3}z"/>` : '';
    // Every failure is named above its bar (the open ones "not restored"), inside the chart: left- or right-aligned near an edge.
    // Where the row has no room since the last name, the name is left out: the tooltip and the list below the chart name it.
    const text = restored === null ? `${incident.release} not restored` : incident.release;
    const box = labelBox(x1, text.length * LABEL_CHAR, left, right);
    const room = box.from - (lastLabel.get(incident.env) ?? -Infinity) > 6;
    if (room) lastLabel.set(incident.env, box.to);
    const name = room ? `<text class="${restored === null ? 'incident-label open-label' : 'incident-label'}" x="${num(box.x)}" y="${y - 2}" text-anchor="${box.anchor}">${esc(text)}</text>` : '';
    const attrs = `data-incident="${n}" data-env="${esc(incident.env)}" data-release="${esc(incident.release)}" data-restored="${restored !== null}"`;
    return `<g ${attrs}><title>${esc(tip)}</title><rect class="${restored === null ? 'down open' : 'down'}" x="${num(x1)}" y="${y}" width="${num(x2 - x1)}" height="${ROW - 14}" rx="2"/><circle class="fail" cx="${num(x1)}" cy="${y + (ROW - 14) / 2}" r="4"/>${name}${open}</g>`;
  });
  const open = incidents.filter((i) => i.restoredAt === null).length;
  const legend = `<g class="legend"><circle class="fail" cx="${left + 5}" cy="14" r="4"/><text x="${left + 14}" y="18">failed</text><rect class="down" x="${left + 70}" y="9" width="22" height="10" rx="2"/><text x="${left + 98}" y="18">until restored</text><rect class="down open" x="${left + 196}" y="9" width="22" height="10" rx="2"/><text x="${left + 224}" y="18">not restored</text></g>`;
  const desc = `${incidents.length} failure${incidents.length === 1 ? '' : 's'} across ${envs.join(', ')}; ${open === 0 ? 'all restored' : `${open} not restored`}.`;
  return svgChart({ ...frame, desc }, `${legend}\n${rows.join('\n')}\n${axis.join('')}<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>\n${bars.join('\n')}`);
}
