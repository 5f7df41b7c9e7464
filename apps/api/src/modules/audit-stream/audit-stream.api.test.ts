import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, loginAs, unique, type TestApi } from '../../test/harness.js';
import { waitUntil } from '../../test/wait-until.js';
import { systemContext } from '../../lib/actor.js';
import { createLogger } from '../../lib/logger.js';
import { createAuditStreamRepo } from './audit-stream.repo.js';
import { startAuditStream } from './audit-stream.sender.js';
import { jsonLinesDestination, syslogDestination } from './audit-stream-destinations.js';

let api: TestApi;
let dir: string;
const json = jsonLinesDestination('/dev/null', unique('json'));
let syslog: ReturnType<typeof syslogDestination>;

/** A loopback port nothing listens on: a receiver that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passman-stream-api-'));
  syslog = syslogDestination(
    { target: { protocol: 'tcp', host: '127.0.0.1', port: await closedPort(), timeoutMs: 2_000 }, facility: 'authpriv' },
    unique('syslog'),
  );
  api = await createTestApi({ auditStreamDestinations: [syslog, { ...json, target: join(dir, 'audit.jsonl') }] });
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /audit/stream', () => {
  it('shows each destination, not started until a worker sends, then its backlog, failures and last error', async () => {
    const auditor = await loginAs(api, 'auditor');
    const before = await auditor.agent.get('/api/v1/audit/stream').expect(200);
    expect(before.body.destinations).toEqual([
      expect.objectContaining({ name: syslog.name, kind: 'syslog', target: syslog.target, started: false, backlog: null, failures: 0 }),
      expect.objectContaining({ name: json.name, kind: 'json', target: join(dir, 'audit.jsonl'), started: false }),
    ]);
    expect(syslog.target).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);

    const sender = startAuditStream(
      { repo: createAuditStreamRepo(api.db), destinations: [syslog], logger: createLogger({ level: 'silent' }) },
      { from: 'now', pollMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 },
    );
    try {
      await waitUntil(async () => ((await api.db.auditStreamCursor.findUnique({ where: { destination: syslog.name } })) ?? null) !== null, 'the cursor exists');
      await api.services.audit.record(systemContext('req-stream-status'), { action: 'test.stream-status', objectType: 'thing' });
      await waitUntil(
        async () => ((await api.db.auditStreamCursor.findUnique({ where: { destination: syslog.name } }))?.failures ?? 0) >= 2,
        'two tries failed',
      );
      const after = await auditor.agent.get('/api/v1/audit/stream').expect(200);
      const status = after.body.destinations[0];
      expect(status).toMatchObject({ started: true, deliveredAt: null });
      expect(status.backlog).toBeGreaterThanOrEqual(1);
      expect(status.failures).toBeGreaterThanOrEqual(2);
      expect(status.lastError).toMatch(/ECONNREFUSED/);
    } finally {
      await sender.stop();
    }
  });

  it('is for those who may read the audit trail', async () => {
    const operator = await loginAs(api, 'operator');
    await operator.agent.get('/api/v1/audit/stream').expect(403);
    await api.request().get('/api/v1/audit/stream').expect(401);
  });
});
