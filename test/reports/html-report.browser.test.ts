/**
 * Opens report.html in a real headless Chromium (Debian's `chromium`, or the
 * binary named by BATCHBENCH_CHROMIUM, driven by playwright-core) from file://
 * with every other request blocked. Outside CI the test skips when no browser
 * is found; under CI=true it fails at once (test/reports/chromium.ts).
 *
 * UPDATE_SCREENSHOT=1 also writes docs/report.png from the fixture project's run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../harness/reports/index.js';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, RUN_BROWSER_TESTS } from './chromium.js';
import { EVIL, fixtureRun } from './report-fixtures.js';

const WIDTH = 1400;
const HEIGHT = 900;

/** Expressions evaluated in the page (kept as text: this project compiles without DOM types). */
const IN_PAGE = {
  paintedCanvases: `[...document.querySelectorAll('canvas')].map((c) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return { id: c.id, painted: 0 };
    const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
    return { id: c.id, painted };
  })`,
  openDetails: `document.querySelectorAll('details').forEach((d) => { d.open = true; })`,
  state: `({
    pwned: window.__pwned ?? null,
    text: document.body.innerText,
    imgs: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
  })`,
  background: `getComputedStyle(document.body).backgroundColor`,
  chartsBottom: `document.getElementById('charts').getBoundingClientRect().bottom + window.scrollY`,
  /** Elements reaching past the viewport's right edge that are not inside a scroll box; and the page's own width. */
  tooWide: `({
    page: document.documentElement.scrollWidth,
    elements: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
      .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className : '')),
  })`,
  /** Table cells whose content is wider than the cell (it would spill over its neighbours). */
  spilling: `[...document.querySelectorAll('#decision th, #decision td, #headline th, #headline td')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.slice(0, 40))`,
  decision: `(() => { const r = document.getElementById('decision').getBoundingClientRect(); return { top: r.top, bottom: r.bottom, rows: document.querySelectorAll('#decision tbody tr').length }; })()`,
  /** Per chart: each dataset's colour (a bar chart's colours per bar) and dash, as drawn. */
  chartStyles: `Object.values(Chart.instances).map((c) => ({
    id: c.canvas.id,
    type: c.config.type,
    labels: c.data.labels.map((l) => (Array.isArray(l) ? l.join(' ') : String(l))),
    datasets: c.data.datasets.map((d) => ({ label: d.label, colour: d.backgroundColor, border: d.borderColor, dash: (d.borderDash || []).join(',') })),
  }))`,
};

interface Opened {
  page: Page;
  errors: string[];
  blocked: string[];
}

describe.runIf(RUN_BROWSER_TESTS)('report.html in headless Chromium', () => {
  let browser: Browser;
  let evilReport: string;
  let fourProviders: string;

  beforeAll(async () => {
    requireChromium();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const dir = await fixtureRun({ evil: true });
    await writeReports(dir, ['html']);
    evilReport = join(dir, 'report.html');
    // Four providers x two variants: eight lines, so the token chart splits into one chart per provider.
    const four = await fixtureRun({ providers: ['ref:sequential', 'ref:stochastic:0.5', 'ref:stochastic:0.2', 'ref:optimal'], runId: 'four' });
    await writeReports(four, ['html']);
    fourProviders = join(four, 'report.html');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, colorScheme });
    const errors: string[] = [];
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('html[data-charts="drawn"]', { timeout: 15_000 });
    return { page, errors, blocked };
  }

  it('draws every chart, logs no error and asks for nothing from the network', async () => {
    const { page, errors, blocked } = await open(evilReport);
    const canvases = (await page.evaluate(IN_PAGE.paintedCanvases)) as { id: string; painted: number }[];
    expect(canvases.map((c) => c.id).sort()).toEqual(['chart-batching', 'chart-cost', 'chart-tokens', 'chart-tools-per-turn', 'chart-turns']);
    for (const c of canvases) expect(c.painted, c.id).toBeGreaterThan(500);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it('shows hostile tool results and fixture text literally and never runs them', async () => {
    const { page, errors } = await open(evilReport);
    await page.evaluate(IN_PAGE.openDetails);
    const state = (await page.evaluate(IN_PAGE.state)) as { pwned: unknown; text: string; imgs: number; scripts: number };
    expect(state.pwned).toBeNull();
    expect(state.imgs).toBe(0);
    expect(state.scripts).toBe(3); // the JSON block, Chart.js and the report's own script
    expect(state.text).toContain(EVIL); // the title and the final answer, verbatim
    expect(state.text).toContain('<img src=x onerror=');
    expect(state.text).toContain('</script><script>window.__pwned=2</script>');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders in dark mode without errors', async () => {
    const { page, errors } = await open(evilReport, 'dark');
    const bg = await page.evaluate(IN_PAGE.background);
    expect(bg).toBe('rgb(18, 21, 28)');
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`at 1,400 px in ${scheme} mode: the bottom line is above the fold, nothing outside a scroll box is wider than the page, each variant keeps one distinct colour`, async () => {
      for (const file of [evilReport, fourProviders]) {
        const { page, errors } = await open(file, scheme);
        const decision = (await page.evaluate(IN_PAGE.decision)) as { top: number; bottom: number; rows: number };
        expect(decision.rows).toBe(file === evilReport ? 3 : 4);
        expect(decision.bottom, file).toBeLessThanOrEqual(HEIGHT);
        expect(await page.evaluate(IN_PAGE.tooWide)).toEqual({ page: WIDTH, elements: [] });
        expect(await page.evaluate(IN_PAGE.spilling)).toEqual([]);
        const charts = (await page.evaluate(IN_PAGE.chartStyles)) as { id: string; type: string; labels: string[]; datasets: { label: string; colour: string | string[]; border: string | string[]; dash: string }[] }[];
        // Bars: one colour per variant, the same in every chart, different between the two variants.
        const colourOf = new Map<string, string>();
        for (const c of charts.filter((x) => x.type === 'bar' && x.datasets.length === 1)) {
          const colours = c.datasets[0]?.colour as string[];
          c.labels.forEach((label, i) => {
            const variant = label.split(' ').at(-1) as string;
            const seen = colourOf.get(variant);
            if (seen === undefined) colourOf.set(variant, colours[i] as string);
            else expect(colours[i], `${c.id} ${label}`).toBe(seen);
          });
        }
        expect(new Set(colourOf.values()).size).toBe(2);
        // Stacked bars and lines: every dataset of a chart looks different.
        for (const c of charts.filter((x) => x.type === 'line' || x.datasets.length > 1)) {
          const looks = c.datasets.map((d) => `${String(d.border)}|${d.dash}|${String(d.colour)}`);
          expect(new Set(looks).size, c.id).toBe(looks.length);
        }
        const tokenCharts = charts.filter((c) => c.id.startsWith('chart-tokens')).map((c) => c.id);
        expect(tokenCharts).toEqual(file === evilReport ? ['chart-tokens'] : ['chart-tokens-0', 'chart-tokens-1', 'chart-tokens-2', 'chart-tokens-3']);
        const text = (await page.evaluate('document.body.innerText')) as string;
        expect(text).not.toContain('darker bar');
        expect(errors).toEqual([]);
        await page.close();
      }
    }, 60_000);
  }

  it('prints: the print stylesheet lets scroll boxes grow and hides the navigation', async () => {
    const { page } = await open(evilReport);
    await page.emulateMedia({ media: 'print' });
    const printed = (await page.evaluate(`({ nav: getComputedStyle(document.querySelector('nav')).display, scroll: getComputedStyle(document.querySelector('.scroll')).overflowX })`)) as { nav: string; scroll: string };
    expect(printed).toEqual({ nav: 'none', scroll: 'visible' });
    await page.close();
  });

  it.runIf(process.env.UPDATE_SCREENSHOT === '1')('writes docs/report.png from the fixture project run', async () => {
    const dir = await fixtureRun({ runId: 'fixture-project' });
    await writeReports(dir, ['html']);
    const { page } = await open(join(dir, 'report.html'));
    mkdirSync(join(import.meta.dirname, '..', '..', 'docs'), { recursive: true });
    // From the top to the end of the charts: verdict, headline tables and every chart.
    const bottom = (await page.evaluate(IN_PAGE.chartsBottom)) as number;
    await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'docs', 'report.png'), clip: { x: 0, y: 0, width: WIDTH, height: Math.ceil(bottom) + 16 }, fullPage: true });
    await page.close();
  }, 60_000);
});
