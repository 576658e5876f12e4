/// <reference lib="dom" />
/**
 * Lighthouse (mobile, simulated throttling) and axe-core on every public page type, in
 * Debian's Chromium: each category must score at least 0.95 and no page may have a serious
 * or critical axe violation at phone or desktop width (issue 16).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import lighthouse from 'lighthouse';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/cli/demo/seed-demo.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { launchChromium } from '../src/testing/browser.ts';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const MIN_SCORE = 0.95;
const REPORTS = path.resolve(import.meta.dirname, '../test-artifacts/lighthouse');
// Evaluated through the DevTools protocol, which the site's CSP (rightly) does not let a
// <script> tag do.
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface PageResult {
  name: string;
  url: string;
  scores: Record<(typeof CATEGORIES)[number], number>;
  failing: string[];
  axe: string[];
  seconds: number;
}

describe('Lighthouse and axe on the public pages', () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let debugPort: number;
  const pages: [string, string][] = [];
  const results: PageResult[] = [];

  beforeAll(async () => {
    // The canonical URL must be the address Lighthouse opens, so the site listens on a
    // port chosen before the app is built.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await createTestApp({ now: Date.now(), env: { TAMNA_SITE_URL: base } });
    await seedDemo(app);
    await app.http.listen({ host: '127.0.0.1', port });
    const front = await app.services.content.frontPage();
    const articleId = front.headline?.id ?? 1;
    pages.push(
      ['front', '/'],
      ['article', `/news/${articleId}`],
      ['section', '/section/society'],
      ['tag', `/tag/${encodeURIComponent('판결')}`],
      ['reporter', '/reporter/1'],
      ['series', '/series/1'],
      ['search', `/search?q=${encodeURIComponent('제주')}`],
      ['weather', '/weather'],
    );
    mkdirSync(REPORTS, { recursive: true });
    debugPort = await freePort();
    browser = await launchChromium([`--remote-debugging-port=${debugPort}`]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (results.length > 0) {
      const head = ['page', ...CATEGORIES.map((c) => c.slice(0, 4)), 'axe', 's'];
      const rows = results.map((r) => [
        r.name,
        ...CATEGORIES.map((c) => r.scores[c].toFixed(2)),
        String(r.axe.length),
        r.seconds.toFixed(1),
      ]);
      console.log(
        [head, ...rows].map((row) => row.map((cell) => cell.padEnd(9)).join('')).join('\n'),
      );
    }
  });

  it('scores at least 0.95 in every category with no serious axe violation', async () => {
    for (const [name, url] of pages) {
      const started = performance.now();
      const run = await lighthouse(base + url, {
        port: debugPort,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
      });
      if (run === undefined) throw new Error(`Lighthouse returned nothing for ${url}`);
      const lhr = run.lhr;
      writeFileSync(path.join(REPORTS, `${name}.json`), JSON.stringify(lhr));
      if (lhr.runtimeError !== undefined)
        throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? 0]),
      ) as PageResult['scores'];
      // Every audit that lost points, to say why a category fell short.
      const failing = CATEGORIES.flatMap((c) =>
        (lhr.categories[c]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0)
          .map((ref) => lhr.audits[ref.id])
          .filter((a) => a !== undefined && a.score !== null && a.score < 0.9)
          .map((a) => `${c}/${a?.id} ${a?.score} ${a?.displayValue ?? ''}`),
      );
      const axe: string[] = [];
      for (const width of [390, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(base + url, { waitUntil: 'load' });
        await page.evaluate(AXE_SOURCE);
        const violations = await page.evaluate(async () => {
          const found = await (window as unknown as { axe: typeof import('axe-core') }).axe.run();
          return found.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map(
              (v) =>
                `${v.id} (${v.impact}): ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(' '))
                  .join(', ')}`,
            );
        });
        axe.push(...violations.map((v) => `${width}px ${v}`));
        await page.close();
      }
      results.push({
        name,
        url,
        scores,
        failing,
        axe,
        seconds: (performance.now() - started) / 1000,
      });
    }
    const short = results.flatMap((r) => [
      ...CATEGORIES.filter((c) => r.scores[c] < MIN_SCORE).map(
        (c) => `${r.name} ${c} ${r.scores[c]}`,
      ),
      ...(CATEGORIES.some((c) => r.scores[c] < MIN_SCORE) ? r.failing.map((f) => `  ${f}`) : []),
      ...r.axe.map((v) => `${r.name} axe ${v}`),
    ]);
    expect(short).toEqual([]);
  }, 300_000);
});
