import { DateTime } from 'luxon';
import { targetDue } from '../core/report/compute.js';
import type { ReportRelease } from '../core/report/model.js';
import { esc } from './report-svg.js';

/* The HTML report's releases table: one row per release, every value from data escaped. */

/** `3 Jun 14:05` in the calendar zone (the year is in the header's period); `—` for none. */
export function when(iso: string | null, zone: string): string {
  if (iso === null) return '<span class="muted">—</span>';
  const at = DateTime.fromISO(iso, { zone }).setLocale('en-GB');
  return at.isValid ? `<time datetime="${esc(iso)}">${esc(at.toFormat('d LLL HH:mm'))}</time>` : esc(iso);
}

function environments(release: ReportRelease): string {
  if (release.environments.length === 0) return '<span class="muted">—</span>';
  return release.environments
    .map((e) => `<span class="chip ${esc(e.result)}" title="${esc(`${e.name}: ${e.result.replace(/_/g, ' ')}`)}">${esc(e.name)}${e.result === 'succeeded' ? '' : ` ${e.result === 'failed' ? '✗' : '↩'}`}</span>`)
    .join('');
}

function approvals(release: ReportRelease): string {
  if (release.approvals.length === 0) return '<span class="muted">—</span>';
  return release.approvals
    .map((a) => `<span class="approval ${esc(a.decision)}" title="${esc(`${a.gate} (${a.where}): ${a.decision} by ${a.by}`)}">${a.decision === 'approved' ? '✓' : '✗'} ${esc(a.by)}</span>`)
    .join('<br>');
}

function target(release: ReportRelease): string {
  if (release.metTarget === null && !targetDue(release)) return '<span class="muted">—</span>';
  const verdict = release.metTarget === true ? '<span class="met">met</span>' : release.metTarget === false ? '<span class="missed">missed</span>' : '<span class="muted">pending</span>';
  const train = release.train === null ? '' : ` <span class="muted">${esc(release.train)}</span>`;
  return `${verdict}${train}`;
}

export function releasesTable(releases: ReportRelease[], zone: string): string {
  if (releases.length === 0) return '<p class="muted" data-empty="true">no releases in this period</p>';
  const head = ['Version', 'Track', 'Planned', 'Deployed', 'Closed', 'Environments', 'Outcome', 'Approvals', 'Target'].map((h) => `<th scope="col">${h}</th>`).join('');
  const rows = releases.map(
    (r) =>
      `<tr data-release="${esc(r.version)}">` +
      `<td class="version">${esc(r.version)}</td>` +
      `<td class="track ${esc(r.track)}">${esc(r.track)}</td>` +
      `<td class="when" title="${esc(`planned by ${r.plannedBy}`)}" data-planned-by="${esc(r.plannedBy)}">${when(r.plannedAt, zone)}</td>` +
      `<td class="when">${when(r.deployedAt, zone)}</td>` +
      `<td class="when">${when(r.closedAt, zone)}</td>` +
      `<td class="envs">${environments(r)}</td>` +
      `<td class="outcome ${esc(r.outcome)}">${esc(r.outcome.replace(/_/g, ' '))}</td>` +
      `<td class="approvals">${approvals(r)}</td>` +
      `<td class="target">${target(r)}</td>` +
      '</tr>',
  );
  return `<div class="table-wrap"><table data-table="releases"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}
