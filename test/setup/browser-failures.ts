import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowsers } from '../support/browser';

/**
 * After a browser test that failed, a screenshot of every page it left open, in test-results/screenshots/
 * (named after the test), so a failure in CI shows what the browser showed.
 */
afterEach(async () => {
  const failed = (globalThis as { __liaisonFailedTest?: string | null }).__liaisonFailedTest;
  if (!failed) return;
  const folder = join(__dirname, '..', '..', 'test-results', 'screenshots');
  mkdirSync(folder, { recursive: true });
  const name = failed.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  let n = 0;
  for (const browser of openBrowsers())
    for (const context of browser.contexts())
      for (const page of context.pages()) {
        n += 1;
        await page.screenshot({ path: join(folder, `${name}-${n}.png`), fullPage: true }).catch(() => undefined);
      }
  if (n > 0) console.error(`screenshots of the failed test "${failed}": ${folder}/${name}-*.png`);
});
