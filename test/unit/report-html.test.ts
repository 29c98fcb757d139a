import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report/model.js';
import { bucketOf, LEAD_TIME_BUCKETS, weekLabel } from '../../src/ui/report-charts.js';
import { periodText, renderReportHtml } from '../../src/ui/report-html.js';
import { esc, humanDuration, niceScale } from '../../src/ui/report-svg.js';
import { emptyReport, realisticReport, ZONE } from '../helpers/report-fixture.js';

const options = { project: 'acme-api', generatedAt: new Date('2026-12-01T08:30:00Z'), timezone: ZONE };
const CHARTS = ['deploys-per-week', 'lead-time', 'incidents'];

/** One chart's <svg>…</svg>, found by its data-chart name. */
function chart(html: string, name: string): string {
  const match = html.match(new RegExp(`<svg [^>]*data-chart="${name}"[\\s\\S]*?</svg>`));
  expect(match, `chart ${name}`).not.toBeNull();
  return (match as RegExpMatchArray)[0];
}
const count = (text: string, pattern: RegExp): number => [...text.matchAll(new RegExp(pattern, 'g'))].length;

describe('the HTML report page', () => {
  const report = realisticReport();
  const html = renderReportHtml(report, options);

  it('is one page: no script, nothing fetched or linked, no URL anywhere', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|\ssrc=|\shref=|@import|url\(|@font-face/i);
  });

  it('draws every chart as an accessible SVG: role img, title, desc, aria-label', () => {
    for (const name of CHARTS) {
      const svg = chart(html, name);
      expect(svg).toMatch(/^<svg role="img" data-chart="[^"]+" aria-label="[^"]{10,}"/);
      expect(svg).toMatch(/<title>[^<]+<\/title><desc>[^<]+<\/desc>/);
    }
  });

  it('draws one element per week, per lead-time bucket and per incident', () => {
    const weeks = chart(html, 'deploys-per-week');
    const bars = [...weeks.matchAll(/<g data-week="[^"]*"[^>]*>[\s\S]*?<\/g>/g)].map((m) => m[0]).join('');
    expect(count(weeks, /<g data-week="/)).toBe(report.weeks.length);
    expect(count(bars, /<rect class="bad"/)).toBe(report.weeks.filter((w) => w.failed > 0).length);
    expect(count(bars, /<rect class="ok"/)).toBe(report.weeks.filter((w) => w.succeeded > 0).length);
    const lead = chart(html, 'lead-time');
    expect(count(lead, /<g data-bucket="/)).toBe(7);
    const counts = [...lead.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(report.leadTimes.length);
    expect(counts).toEqual(LEAD_TIME_BUCKETS.map((_, i) => report.leadTimes.filter((v) => bucketOf(v) === i).length));
    expect([...lead.matchAll(/data-marker="(\w+)"/g)].map((m) => m[1])).toEqual(['median', 'p90']);
    const incidents = chart(html, 'incidents');
    expect(count(incidents, /<g data-incident="/)).toBe(report.incidents.length);
    expect(count(incidents, /data-restored="false"/)).toBe(report.incidents.filter((i) => i.restoredAt === null).length);
    expect(incidents).toContain('not restored');
    expect(count(html, /<tr data-release="/)).toBe(report.releases.length);
  });

  it('shows the four DORA tiles with their levels, the period in the calendar zone, and the notes', () => {
    expect(count(html, /<div class="tile [a-z]+" data-metric="/)).toBe(4);
    expect(html).toContain('data-metric="change-failure-rate" data-level="high"');
    expect(html).toContain('1 Jun 2026 – 30 Nov 2026');
    expect(html).toContain('generated Tue 1 Dec 2026 09:30');
    expect(html).toContain('<li>3 commits before the first tag are not counted in lead time.</li>');
  });

  it('escapes everything that comes from data', () => {
    const evil = '<script>alert(1)</script>';
    const quote = '" onmouseover="alert(1)';
    const poisoned: Report = structuredClone(report);
    const release = poisoned.releases[0] as Report['releases'][number];
    Object.assign(release, { version: evil, plannedBy: quote, train: evil, target: release.target ?? '2026-06-05T10:00:00Z', outcome: quote, track: evil });
    release.approvals = [{ gate: evil, where: quote, by: `${evil} <evil@example.com>`, at: '2026-06-02T10:00:00Z', decision: 'approved' }];
    release.environments = [{ name: evil, production: true, at: '2026-06-02T10:00:00Z', result: 'succeeded' }];
    poisoned.incidents = [{ env: evil, release: quote, failedAt: '2026-07-01T10:00:00Z', restoredAt: null, by: null }];
    poisoned.weeks = [{ week: evil, succeeded: 1, failed: 1 }];
    poisoned.notes = [evil, 'see https://example.com/runbook'];
    poisoned.versions = evil;
    const page = renderReportHtml(poisoned, { ...options, project: evil });
    expect(page).not.toMatch(/<script|onmouseover="|https?:\/\//i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot; onmouseover=&quot;alert(1)');
    expect(page).toContain('&lt;evil@example.com&gt;');
    expect(page).toContain('<li>see https&#58;//example.com/runbook</li>');
  });

  it('says "no deploys in this period" in every chart of an empty report, and "—" with no data in every tile', () => {
    const page = renderReportHtml(emptyReport(), options);
    for (const name of CHARTS) expect(chart(page, name)).toContain('no deploys in this period');
    expect(count(page, /<div class="value">—<\/div>/)).toBe(4);
    expect(count(page, /<span class="level none">no data<\/span>/)).toBe(4);
    expect(page).toContain('no releases in this period');
    expect(page).toContain('1 Nov 2026 – 30 Nov 2026');
    expect(page).not.toContain('data-notes');
  });

  it('says a period with deploys but no failure has nothing to restore', () => {
    const calm: Report = { ...report, incidents: [] };
    expect(chart(renderReportHtml(calm, options), 'incidents')).toContain('no failures in this period');
  });

  it('runs a failure not restored to when the page was generated, not past it', () => {
    const month = { ...emptyReport('2026-11-01', '2026-12-01'), productionDeploys: 1 };
    month.incidents = [{ env: 'production', release: '3.0.0', failedAt: '2026-11-10T12:00:00Z', restoredAt: null, by: null }];
    const bar = (generatedAt: Date): number => {
      const svg = chart(renderReportHtml(month, { ...options, generatedAt }), 'incidents');
      const rect = svg.match(/<g data-incident[^>]*>.*?<rect class="down open" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/) as RegExpMatchArray;
      return Number(rect[1]) + Number(rect[2]);
    };
    expect(bar(new Date('2026-11-15T12:00:00Z'))).toBeLessThan(bar(new Date('2026-12-05T12:00:00Z')));
    expect(bar(new Date('2026-12-05T12:00:00Z'))).toBe(bar(new Date('2026-12-01T12:00:00Z')));
  });

  it('the frequency tile says how many of the production deploys succeeded: the rate comes from those', () => {
    const quarter: Report = { ...emptyReport('2026-09-02', '2026-12-01'), productionDeploys: 5, failedDeploys: 1 };
    quarter.period.days = 90;
    quarter.weeks = [
      { week: '2026-W40', succeeded: 3, failed: 1 },
      { week: '2026-W41', succeeded: 1, failed: 0 },
    ];
    quarter.dora.deploymentFrequency = Math.round((4 / (90 / 7)) * 1000) / 1000;
    const page = renderReportHtml(quarter, options);
    expect(page).toMatch(/data-metric="deployment-frequency"[^]*?<div class="sub">4 succeeded of 5 production deploys in 90 days<\/div>/);
    const short: Report = { ...quarter, period: { ...quarter.period, days: 2 }, dora: { ...quarter.dora, deploymentFrequency: null } };
    expect(renderReportHtml(short, options)).toContain('<div class="sub">4 succeeded of 5 production deploys: no rate for less than a week</div>');
  });

  it.each([
    [0, 1, '<b>0</b> targets met', '<b>1</b> target missed'],
    [1, 0, '<b>1</b> target met', '<b>0</b> targets missed'],
    [2, 3, '<b>2</b> targets met', '<b>3</b> targets missed'],
  ])('the summary counts %i met and %i missed in words that agree with the numbers', (met, missed, a, b) => {
    const page = renderReportHtml({ ...emptyReport(), productionDeploys: 1, targets: { met, missed } }, options);
    expect(page).toContain(a);
    expect(page).toContain(b);
    expect(page).toContain('<b>1</b> production deploy<');
  });

  it('names every failure inside the chart (right-aligned near the right edge) or in the list under it', () => {
    const month = { ...emptyReport('2026-11-01', '2026-12-01'), productionDeploys: 3 };
    month.incidents = [
      { env: 'production', release: '2.9.0', failedAt: '2026-11-01T00:30:00Z', restoredAt: '2026-11-01T02:00:00Z', by: 'rollback' },
      { env: 'production', release: '3.0.0-rc.10', failedAt: '2026-11-29T20:00:00Z', restoredAt: '2026-11-30T18:00:00Z', by: 'rollback' },
      { env: 'production', release: '3.0.1', failedAt: '2026-11-30T21:00:00Z', restoredAt: null, by: null },
    ];
    const page = renderReportHtml(month, { ...options, generatedAt: new Date('2026-12-01T08:30:00Z') });
    const svg = chart(page, 'incidents');
    const labels = [...svg.matchAll(/<text class="incident-label[^"]*" x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)">([^<]+)<\/text>/g)].map((m) => ({ x: Number(m[1]), anchor: m[2], text: m[3] }));
    // the first at the left edge starts there; the last, near the right edge, ends at it; none crosses the chart
    expect(labels[0]).toMatchObject({ text: '2.9.0', anchor: 'start' });
    expect(labels.at(-1)).toMatchObject({ anchor: 'end', x: 984 });
    for (const label of labels) expect(label.x).toBeLessThanOrEqual(984);
    // every failure is named: in the chart, or (where two are too close) in the list under it
    const listed = [...page.matchAll(/<li data-incident-item="\d+">([^<]+)<\/li>/g)].map((m) => m[1]);
    expect(listed).toEqual([
      'production · 2.9.0: failed Sun 1 Nov 01:30, restored after 1.5 h by a rollback',
      'production · 3.0.0-rc.10: failed Sun 29 Nov 21:00, restored after 22 h by a rollback',
      'production · 3.0.1: failed Mon 30 Nov 22:00, not restored',
    ]);
    expect(page).toContain('<summary>Every failure (3)</summary>');
    // 3.0.1 came too close to 3.0.0-rc.10 to be named beside it: the list names it; alone, the chart does, inside its right edge
    expect(labels.map((l) => l.text)).toEqual(['2.9.0', '3.0.0-rc.10']);
    const alone = chart(renderReportHtml({ ...month, incidents: month.incidents.slice(2) }, options), 'incidents');
    expect(alone).toMatch(/<text class="incident-label open-label" x="984" y="[\d.]+" text-anchor="end">3\.0\.1 not restored<\/text>/);
  });

  it('draws no NaN when a time in the data does not parse', () => {
    const odd: Report = { ...report, incidents: [{ env: 'production', release: '9.9.9', failedAt: 'not a time', restoredAt: 'nor this', by: 'rollback' }] };
    expect(renderReportHtml(odd, options)).not.toMatch(/NaN|Infinity/);
  });

  it('has a light and a dark colour scheme', () => {
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
  });
});

describe('the pieces of the page', () => {
  it.each<[number, number, number[]]>([
    [0, 1, [0, 1]],
    [1, 1, [0, 1]],
    [3, 3, [0, 1, 2, 3]],
    [7, 8, [0, 2, 4, 6, 8]],
    [23, 25, [0, 5, 10, 15, 20, 25]],
    [115, 150, [0, 50, 100, 150]],
  ])('a scale for %d goes to %d by whole steps', (max, top, ticks) => {
    expect(niceScale(max)).toMatchObject({ top, ticks });
  });

  it.each<[number, string]>([
    [12, '12 s'],
    [600, '10 min'],
    [5400, '1.5 h'],
    [36_000, '10 h'],
    [3.2 * 86_400, '3.2 d'],
    [18 * 86_400, '18 d'],
  ])('%d s reads %s', (seconds, text) => {
    expect(humanDuration(seconds)).toBe(text);
  });

  it.each<[number, string]>([
    [0, '< 1 h'],
    [3599, '< 1 h'],
    [3600, '1–4 h'],
    [86_399, '4–24 h'],
    [86_400, '1–3 d'],
    [7 * 86_400, '1–2 w'],
    [14 * 86_400, '> 2 w'],
  ])('a lead time of %d s falls in %s', (seconds, label) => {
    expect(LEAD_TIME_BUCKETS[bucketOf(seconds)]?.[0]).toBe(label);
  });

  it('labels weeks by their Monday, either spelling', () => {
    expect([weekLabel('2026-06-01'), weekLabel('2026-W23'), weekLabel('week 23')]).toEqual(['1 Jun', '1 Jun', 'week 23']);
  });

  it('shows a period ending at midnight up to the day before, in the calendar zone', () => {
    expect(periodText({ from: '2026-10-31T23:00:00Z', to: '2026-11-30T23:00:00Z', timezone: ZONE, days: 30 }, ZONE)).toBe('1 Nov 2026 – 30 Nov 2026');
    expect(periodText({ from: '2026-11-01T00:00:00Z', to: '2026-11-15T12:00:00Z', timezone: 'UTC', days: 14 }, 'UTC')).toBe('1 Nov 2026 – 15 Nov 2026');
  });

  it('escapes the five characters HTML gives a meaning to', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
