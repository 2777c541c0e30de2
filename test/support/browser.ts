import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The Chromium the machine has (Debian's package); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const launched = new Set<Browser>();

/** The browsers this test file started and has not closed (for screenshots of a failed test). */
export function openBrowsers(): Browser[] {
  return [...launched].filter((browser) => browser.isConnected());
}

/** Starts a headless Chromium; fails with what to install when there is none. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  launched.add(browser);
  return browser;
}

/** Every content-security-policy violation and script error a page reports, as it reports them. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  return problems;
}

/** The accessibility rules a page breaks (axe-core, WCAG 2.2 A and AA), as `rule: selector` lines. */
export async function accessibilityViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  for (const selector of exclude) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
  );
}

/**
 * With CONSOLE_SCREENSHOTS naming a folder, saves the page there as `<name>.png` at 1280 px wide (the README's
 * pictures are made so: `CONSOLE_SCREENSHOTS=docs/screenshots npx jest --selectProjects browser`).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.CONSOLE_SCREENSHOTS;
  if (!folder) return;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${folder}/${name}.png`, fullPage: true });
}
