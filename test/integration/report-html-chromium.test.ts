import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report/model.js';
import { LEAD_TIME_BUCKETS } from '../../src/ui/report-charts.js';
import { renderReportHtml } from '../../src/ui/report-html.js';
import { recompressPng } from '../helpers/png.js';
import { emptyReport, realisticReport, ZONE } from '../helpers/report-fixture.js';

/*
 * The HTML report in headless Chromium (Debian's, driven by puppeteer-core): every chart draws with a
 * size and its bars, nothing is fetched, nothing is logged as an error. UPDATE_DOCS=1 also writes the
 * README's screenshot, docs/report.png.
 */

const root = resolve(import.meta.dirname, '../..');
const chromium = process.env.RELMGR_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(chromium);
if (!available) console.warn(`skipped: the HTML report's browser test needs Chromium at ${chromium} (apt-get install chromium, or set RELMGR_CHROMIUM)`);

const options = { project: 'acme-api', generatedAt: new Date('2026-12-01T08:30:00Z'), timezone: ZONE };

describe.skipIf(!available)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--headless=new'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The page loaded with every network request failing the test, and the console's errors collected. */
  async function open(report: Report): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1180, height: 900, deviceScaleFactor: 1 });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url === 'about:blank') return void request.continue();
      requests.push(url);
      void request.abort();
    });
    await page.setContent(renderReportHtml(report, options), { waitUntil: 'load' });
    return { page, requests, errors };
  }

  const box = async (page: Page, selector: string): Promise<{ width: number; height: number } | null> => (await page.$(selector))?.boundingBox() ?? null;

  it('draws each chart with a size, one element per datum, fetching nothing and logging no error', async () => {
    const report = realisticReport();
    const { page, requests, errors } = await open(report);
    for (const name of ['deploys-per-week', 'lead-time', 'incidents']) {
      const size = await box(page, `svg[data-chart="${name}"]`);
      expect(size, name).not.toBeNull();
      expect(size?.width, name).toBeGreaterThan(300);
      expect(size?.height, name).toBeGreaterThan(50);
    }
    expect(await page.$$eval('svg[data-chart="deploys-per-week"] [data-week]', (e) => e.length)).toBe(report.weeks.length);
    const drawn = await page.$$eval('svg[data-chart="deploys-per-week"] [data-week] rect', (rects) => rects.filter((r) => r.getBoundingClientRect().height > 0).length);
    expect(drawn).toBe(report.weeks.reduce((n, w) => n + (w.succeeded > 0 ? 1 : 0) + (w.failed > 0 ? 1 : 0), 0));
    expect(await page.$$eval('svg[data-chart="lead-time"] [data-bucket]', (e) => e.length)).toBe(LEAD_TIME_BUCKETS.length);
    const counted = await page.$$eval('svg[data-chart="lead-time"] [data-bucket]', (e) => e.reduce((n, g) => n + Number(g.getAttribute('data-count')), 0));
    expect(counted).toBe(report.leadTimes.length);
    expect(await page.$$eval('svg[data-chart="lead-time"] [data-marker]', (e) => e.map((m) => m.getAttribute('data-marker')))).toEqual(['median', 'p90']);
    const incidents = await page.$$eval('svg[data-chart="incidents"] [data-incident] rect', (rects) => rects.map((r) => r.getBoundingClientRect().width));
    expect(incidents).toHaveLength(report.incidents.length);
    for (const width of incidents) expect(width).toBeGreaterThan(0);
    expect(await page.$$eval('table[data-table="releases"] tbody tr', (e) => e.length)).toBe(report.releases.length);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    if (process.env.UPDATE_DOCS === '1') {
      const file = join(root, 'docs/report.png');
      writeFileSync(file, recompressPng(Buffer.from(await page.screenshot({ fullPage: true }))));
      expect(statSync(file).size).toBeLessThan(400_000);
    }
    await page.close();
  });

  it('says "no deploys in this period" in every chart of an empty report', async () => {
    const { page, requests, errors } = await open(emptyReport());
    for (const name of ['deploys-per-week', 'lead-time', 'incidents']) {
      expect(await page.$eval(`svg[data-chart="${name}"]`, (svg) => svg.textContent)).toContain('no deploys in this period');
      expect((await box(page, `svg[data-chart="${name}"]`))?.height ?? 0, name).toBeGreaterThan(0);
    }
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows the reader\'s colour scheme: light, and dark', async () => {
    const { page } = await open(realisticReport());
    const background = async (): Promise<string> => String(await page.evaluate('getComputedStyle(document.body).backgroundColor'));
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const light = await background();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await background();
    const lightness = (rgb: string): number => (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((n, c) => n + Number(c), 0);
    expect(lightness(light)).toBeGreaterThan(600);
    expect(lightness(dark)).toBeLessThan(150);
    if (process.env.REPORT_DARK_PNG) await page.screenshot({ path: process.env.REPORT_DARK_PNG as `${string}.png`, fullPage: true });
    await page.close();
  });

  it('shows a script in the data as text, and runs none', async () => {
    const report = realisticReport();
    const evil = '<script>document.title="owned"</script><img src=x onerror="document.title=1">';
    report.notes = [evil];
    (report.releases[0] as Report['releases'][number]).plannedBy = evil;
    const { page, requests, errors } = await open(report);
    expect(await page.title()).toContain('acme-api');
    expect(await page.$$eval('main script, main img', (e) => e.length)).toBe(0);
    expect(await page.$eval('[data-notes]', (ul) => ul.textContent)).toContain(evil);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
