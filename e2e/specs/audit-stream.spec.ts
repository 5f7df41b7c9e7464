import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRsyslog, type Rsyslog } from '@passman/testkit';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { REPO_ROOT, startPassman, type PassmanServer } from '../support/passman-server.js';

// Audit streaming is set in the environment at start, so this spec runs a PassMan of its own,
// streaming to a real rsyslog (TCP) and to a JSON lines file.

let server: PassmanServer;
let rsyslog: Rsyslog;
let dir: string;
let jsonFile: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  rsyslog = await startRsyslog();
  dir = mkdtempSync(join(tmpdir(), 'passman-e2e-stream-'));
  jsonFile = join(dir, 'audit.jsonl');
  server = await startPassman({
    env: { PASSMAN_AUDIT_SYSLOG: `tcp://127.0.0.1:${rsyslog.tcpPort}`, PASSMAN_AUDIT_JSON: jsonFile, PASSMAN_AUDIT_SYSLOG_HOSTNAME: 'passman-e2e' },
    logFile: `${REPO_ROOT}test-results/e2e-audit-stream-server.log`,
  });
});

test.afterAll(async () => {
  await server?.stop();
  await rsyslog?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto('/login?redirectTo=%2Faccounts');
  await page.getByLabel('Username').fill(server.adminUsername);
  await page.getByLabel('Password').fill(server.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
  return page;
}

const loginsIn = (messages: string[]) => messages.filter((m) => / auth\.login \[passman@32473 /.test(m) && m.includes(`actor="${server.adminUsername}"`));

test('the Settings page shows where the audit trail goes, and an rsyslog outage as it happens', async ({ browser }) => {
  const page = await signIn(browser);
  // The sign-in itself reaches the SIEM, as RFC 5424 with the actor in structured data…
  const messages = await rsyslog.waitFor((all) => loginsIn(all).length >= 1);
  expect(loginsIn(messages)[0]).toMatch(/^<86>1 \S+ passman-e2e passman - auth\.login \[passman@32473 /);
  // …and the JSON lines file.
  await expect.poll(() => readFileSync(jsonFile, { encoding: 'utf8', flag: 'a+' })).toContain('"action":"auth.login"');

  await page.getByRole('tab', { name: 'Settings' }).click();
  const table = page.getByRole('table', { name: 'Audit stream destinations' });
  const syslogRow = table.getByRole('row').filter({ hasText: `tcp://127.0.0.1:${rsyslog.tcpPort}` });
  await expect(syslogRow).toContainText('Syslog');
  await expect(table.getByRole('row').filter({ hasText: jsonFile })).toContainText('JSON lines');
  await expect(async () => {
    await page.reload();
    await expect(syslogRow).toContainText('Delivering', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  await rsyslog.stop();
  // Signing in again writes an audit event nobody can receive now.
  const second = await signIn(browser);
  await second.getByRole('tab', { name: 'Settings' }).click();
  const row = second.getByRole('table', { name: 'Audit stream destinations' }).getByRole('row').filter({ hasText: 'Syslog' });
  await expect(async () => {
    await second.reload();
    await expect(row).toContainText(/Failing \(\d+ tries in a row\): .*ECONNREFUSED/, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  await rsyslog.start();
  const after = await rsyslog.waitFor((all) => loginsIn(all).length >= 2, 60_000);
  expect(loginsIn(after)).toHaveLength(2);
  await expect(async () => {
    await second.reload();
    await expect(row).toContainText('Delivering', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});
