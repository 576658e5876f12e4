import { seedDemo } from './src/cli/demo/seed-demo.ts';
import { createTestApp } from './src/testing/app.ts';
import { launchChromium } from './src/testing/browser.ts';

const pages = process.argv.slice(2);
const app = await createTestApp({ now: Date.now(), env: { TAMNA_KAKAO_JS_KEY: '0123456789abcdef0123456789abcdef' } });
await seedDemo(app);
await app.http.listen({ host: '127.0.0.1', port: 0 });
const addr = app.http.server.address();
if (addr === null || typeof addr === 'string') throw new Error();
const base = `http://127.0.0.1:${addr.port}`;
const front = await app.services.content.frontPage();
const articleId = front.headline?.id ?? 1;
const browser = await launchChromium();
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
for (const [name, width, height, ua] of [['m', 390, 844, IPHONE], ['d', 1280, 900, undefined]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    const ctx = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, ...(ua ? { userAgent: ua, isMobile: true, hasTouch: true } : {}) });
    const page = await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text()); });
    for (const p of pages) {
      const url = p.replace('ARTICLE', `/news/${articleId}`);
      await page.goto(base + url, { waitUntil: 'networkidle' });
      const file = `/tmp/shots/${p.replace(/[^a-z0-9]/gi, '_')}-${name}-${scheme}.png`;
      await page.screenshot({ path: file, fullPage: process.env.FULL === '1' });
      console.log(file);
    }
    await ctx.close();
  }
}
await browser.close();
await app.close();
