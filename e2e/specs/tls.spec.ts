import { once } from 'node:events';
import { connect } from 'node:tls';
import { e2eEnvironment } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';

test.use({ storageState: { cookies: [], origins: [] } });

/** The certificate a fresh TLS connection to PassMan is given (compared, not trusted). */
async function servedFingerprint(baseURL: string): Promise<string> {
  const { hostname, port } = new URL(baseURL);
  const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  socket.destroy();
  return fingerprint;
}

test('the console is served over HTTPS, with the certificate whose fingerprint PassMan printed, HSTS and a Secure session cookie', async ({
  page,
  context,
}) => {
  const env = e2eEnvironment();
  const response = await page.goto('/login');
  expect(new URL(page.url()).protocol).toBe('https:');
  expect(await page.evaluate(() => (globalThis as { location?: { protocol: string } }).location?.protocol)).toBe('https:');
  const security = await response!.securityDetails();
  expect(security?.protocol).toMatch(/^TLS 1\.[23]$/);
  expect(await servedFingerprint(env.baseURL)).toBe(env.certificateFingerprint);
  expect(response!.headers()['strict-transport-security']).toMatch(/max-age=31536000/);
  expect(response!.headers()['x-frame-options']).toBe('DENY');

  await page.getByLabel('Username').fill(env.adminUsername);
  await page.getByLabel('Password').fill(env.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${env.baseURL}/`);
  const session = (await context.cookies()).find((c) => c.name === 'passman_session');
  expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
});
