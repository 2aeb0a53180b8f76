// The README's screenshots, from the real window under Xvfb: an example model with its
// risks, the first (most urgent) risk selected so that its path is highlighted, in the light and the dark
// theme. Run by `scripts/screenshots.sh` (into docs/screenshots/).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Driver, REPO, testId, type Browser } from './driver';

const OUT = process.env.BARTIZAN_SCREENSHOTS_DIR ?? path.join(REPO, 'docs', 'screenshots');
const EXAMPLE = process.env.BARTIZAN_SCREENSHOT_EXAMPLE ?? 'finance-ops';
const [WIDTH, HEIGHT] = (process.env.BARTIZAN_SCREENSHOT_SIZE ?? '1920x1080').split('x').map(Number);

const driver = new Driver();
let app: Browser | undefined;

beforeAll(async () => {
  await driver.start();
});

afterAll(async () => {
  await app?.deleteSession().catch(() => undefined);
  await driver.stop();
});

/** The whole X screen, which the window fills: what a person would see. */
function shoot(name: string) {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.png`);
  execFileSync('import', ['-window', 'root', '-strip', file], { timeout: 30_000 });
  console.log(`wrote ${path.relative(REPO, file)}`);
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function theme(browser: Browser): Promise<string | null> {
  return testId(browser, 'app-root').getAttribute('data-theme');
}

it('takes the screenshots', async () => {
  app = await driver.open();
  // A full-HD screen, which the window fills.
  await app.setWindowRect(0, 0, WIDTH, HEIGHT);
  await testId(app, 'menu-new-example').click();
  await testId(app, `example-${EXAMPLE}`).click();
  // The most urgent risk selected: its path lights up on the canvas.
  const risk = app.$('[data-testid^="risk-"][data-kind]');
  await risk.waitForExist({ timeout: 30_000 });
  await risk.$('button').click();
  await app.$('.bartizan-highlight').waitForExist({ timeout: 10_000 });
  // The whole model in view, the highlighted path within it.
  await settle(600);
  await testId(app, 'fit-view').click();
  // Let the viewport and the panels finish their transitions.
  await settle(1500);

  if ((await theme(app)) !== 'light') await testId(app, 'theme-toggle').click();
  await settle(800);
  expect(await theme(app)).toBe('light');
  shoot('app-light');

  await testId(app, 'theme-toggle').click();
  await settle(800);
  expect(await theme(app)).toBe('dark');
  shoot('app-dark');
});
