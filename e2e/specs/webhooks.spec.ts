import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../support/fixtures.js';

// An administrator adds a webhook pointing at a receiver on loopback, copies its secret (shown
// once), sends a test event, and sees the delivery in the log; the receiver checks the signature.

test('a webhook is added with its secret shown once, and its test event arrives signed and shows as delivered', async ({ page, uniq }) => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const name = `hook-${uniq}`;
    await page.goto('/settings/webhooks');
    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('URL').fill(url);
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const shown = page.getByTestId('webhook-secret');
    await expect(shown).toContainText(`Webhook ${name} added`);
    const secret = (await shown.locator('code').textContent())!;
    expect(secret).toMatch(/^whsec_/);

    const item = page.getByRole('listitem', { name });
    await expect(item).toContainText(url);
    await item.getByRole('button', { name: 'Send test event' }).click();
    const log = item.getByRole('table', { name: `Delivery log of ${name}` });
    await expect(log.getByRole('row').filter({ hasText: 'webhook.test' })).toContainText('Delivered', { timeout: 20_000 });
    await expect(log).toContainText('204');

    // What the receiver got is signed over timestamp and body with the secret shown once.
    // (Alerts that other tests raise meanwhile come too: the test event is the one of its type.)
    const tests = received.filter((r) => (JSON.parse(r.body) as { type: string }).type === 'webhook.test');
    expect(tests).toHaveLength(1);
    const { headers, body } = tests[0]!;
    const expected = `v1=${createHmac('sha256', secret)
      .update(`${String(headers['passman-timestamp'])}.${body}`)
      .digest('hex')}`;
    expect(headers['passman-signature']).toBe(expected);
    expect(JSON.parse(body)).toMatchObject({ type: 'webhook.test', webhook: { name } });

    // Never again: not after a reload.
    await page.reload();
    await expect(page.getByRole('listitem', { name })).toBeVisible();
    await expect(page.locator('body')).not.toContainText(secret);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
