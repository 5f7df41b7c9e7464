import { defineConfig } from '@playwright/test';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Playwright in the machine's Chromium (never a downloaded browser) against the real PassMan,
 * PostgreSQL and sshd targets that `support/global-setup.ts` starts.
 */
export default defineConfig({
  testDir: './specs',
  outputDir: '../test-results/e2e',
  globalSetup: './support/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]],
  use: {
    browserName: 'chromium',
    // The machine's Chromium; PASSMAN_CHROMIUM_PATH= (empty) uses Playwright's own browser where
    // one was installed (GitHub's runners: `npx playwright install chromium`).
    launchOptions: { executablePath: (process.env.PASSMAN_CHROMIUM_PATH ?? '/usr/bin/chromium') || undefined, args: CHROMIUM_ARGS },
    headless: true,
    // PassMan serves HTTPS with a self-signed certificate made at start; specs/tls.spec.ts checks
    // that the page is HTTPS and that the certificate is the one whose fingerprint PassMan printed.
    ignoreHTTPSErrors: true,
    viewport: { width: 1360, height: 860 },
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
