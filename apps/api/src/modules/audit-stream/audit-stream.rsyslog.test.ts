import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, dropDatabase, makeTestPki, startRsyslog, type Rsyslog } from '@passman/testkit';
import { createTestApi, loginAs, type TestApi } from '../../test/harness.js';
import { createAccount, createCredential } from '../../test/factories.js';
import { systemContext } from '../../lib/actor.js';
import { waitUntil } from '../../test/wait-until.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { api as client, newPassword } from '../jobs/jobs.test-util.js';
import { SD_ID, INTERNAL_ACTOR } from './audit-stream-format.js';
import { createAuditStreamRepo } from './audit-stream.repo.js';
import { startAuditStream, type AuditStream, type StreamDestination } from './audit-stream.sender.js';
import { jsonLinesDestination, syslogDestination } from './audit-stream-destinations.js';
import { registerAuditStreamMetrics } from './audit-stream-metrics.js';
import { parseSyslog } from './syslog-message.test-util.js';
import type { SyslogTarget } from './syslog-transport.js';

// A database of its own: the backlog and the order of the whole trail are this file's alone.
const adminUrl = process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
let databaseUrl: string;
let api: TestApi;
let rsyslog: Rsyslog;
let dir: string;
const logger = createLogger({ level: 'silent' });
const fast = { from: 'now' as const, pollMs: 50, backoffBaseMs: 50, backoffMaxMs: 400 };
let counter = 0;

beforeAll(async () => {
  databaseUrl = await createMigratedDatabase(adminUrl, 'passman_siem');
  api = await createTestApi({ databaseUrl });
  rsyslog = await startRsyslog();
  dir = mkdtempSync(join(tmpdir(), 'passman-siem-'));
}, 120_000);
afterAll(async () => {
  await rsyslog?.close();
  await api?.close();
  if (databaseUrl) await dropDatabase(adminUrl, databaseUrl);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const repo = () => createAuditStreamRepo(api.db);
const stream = (destinations: StreamDestination[]): AuditStream => startAuditStream({ repo: repo(), destinations, logger }, fast);
const target = (protocol: SyslogTarget['protocol'], port: number, tls?: SyslogTarget['tls']): SyslogTarget => ({
  protocol,
  host: '127.0.0.1',
  port,
  tls,
  timeoutMs: 5_000,
});
const syslogTo = (name: string, t: SyslogTarget) => syslogDestination({ target: t, facility: 'authpriv', hostname: 'passman-test' }, name);

/** `n` audit events with a marker of their own; their seqs in order. */
async function record(n: number, marker: string): Promise<string[]> {
  const after = await headSeq();
  for (let i = 0; i < n; i++) {
    await api.services.audit.record(systemContext(`req-${marker}-${i}`), {
      action: 'test.stream',
      objectType: 'thing',
      objectId: `${marker}-${i}`,
      details: { marker, i, tricky: 'quote " backslash \\ bracket ] end' },
    });
  }
  const rows = await api.db.auditEvent.findMany({ where: { details: { path: ['marker'], equals: marker }, seq: { gt: after } }, orderBy: { seq: 'asc' } });
  return rows.map((r) => r.seq.toString());
}

/** The seqs of the received messages carrying `marker`, in arrival order. */
const seqsOf = (messages: string[], marker: string) =>
  messages
    .map(parseSyslog)
    .filter((m) => m.sd['details@32473']?.marker === marker)
    .map((m) => m.sd[SD_ID]!.seq!);

/** Every event of this file's trail after `seq`, in order (what a cursor started there must deliver). */
async function trailAfter(seq: bigint): Promise<string[]> {
  return (await api.db.auditEvent.findMany({ where: { seq: { gt: seq } }, orderBy: { seq: 'asc' } })).map((r) => r.seq.toString());
}

async function backlogGauge(registry: ReturnType<typeof createMetrics>['registry'], destination: string): Promise<number> {
  const metric = await registry.getSingleMetric('passman_audit_stream_backlog')!.get();
  return metric.values.find((v) => v.labels.destination === destination)?.value ?? Number.NaN;
}

const headSeq = async () => (await api.db.auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
const marker = () => `m${Date.now().toString(36)}${counter++}`;

describe('audit streaming to a real rsyslog', () => {
  it('delivers RFC 5424 over TCP with octet counting, in order, the format checked field by field', async () => {
    const m = marker();
    const sender = stream([syslogTo(`tcp-${m}`, target('tcp', rsyslog.tcpPort))]);
    try {
      const seqs = await record(5, m);
      const messages = await rsyslog.waitFor((all) => seqsOf(all, m).length >= 5);
      expect(seqsOf(messages, m)).toEqual(seqs);
      const first = messages.map(parseSyslog).find((p) => p.sd[SD_ID]?.seq === seqs[0])!;
      const row = await api.db.auditEvent.findUniqueOrThrow({ where: { seq: BigInt(seqs[0]!) } });
      expect(first).toMatchObject({
        pri: 10 * 8 + 6,
        facility: 10,
        severity: 6,
        version: 1,
        timestamp: row.at.toISOString(),
        hostname: 'passman-test',
        appName: 'passman',
        msgId: 'test.stream',
      });
      expect(first.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(first.sd[SD_ID]).toMatchObject({ actor: INTERNAL_ACTOR, component: 'system', action: 'test.stream', objectId: `${m}-0`, hash: row.hash });
      // rsyslog got the escaped value and a parser gives back the original.
      expect(first.sd['details@32473']).toMatchObject({ tricky: 'quote " backslash \\ bracket ] end', i: '0' });
      expect(messages.find((raw) => raw.includes(`${m}-0`))).toContain('tricky="quote \\" backslash \\\\ bracket \\] end"');
    } finally {
      await sender.stop();
    }
  });

  it('delivers over TLS, checking the receiver against the configured CA, with and without a client certificate', async () => {
    const m = marker();
    const ca = rsyslog.files.ca;
    const sender = stream([
      syslogTo(`tls-${m}`, target('tls', rsyslog.tlsPort, { caFile: ca })),
      syslogTo(`mtls-${m}`, target('tls', rsyslog.mtlsPort, { caFile: ca, certFile: rsyslog.files.clientCert, keyFile: rsyslog.files.clientKey })),
    ]);
    try {
      const seqs = await record(3, m);
      const messages = await rsyslog.waitFor((all) => seqsOf(all, m).length >= 6);
      // Two destinations, each its own copy, each in order.
      expect(seqsOf(messages, m).filter((s, i, all) => all.indexOf(s) === i)).toEqual(seqs);
      expect(seqsOf(messages, m).sort()).toEqual([...seqs, ...seqs].sort());
    } finally {
      await sender.stop();
    }
  });

  it('sends nothing to a receiver whose certificate another CA signed, and keeps the events for later', async () => {
    const m = marker();
    const otherCa = join(dir, `other-ca-${m}.pem`);
    writeFileSync(otherCa, makeTestPki().caPem);
    const name = `wrongca-${m}`;
    const start = await headSeq();
    const sender = stream([syslogTo(name, target('tls', rsyslog.tlsPort, { caFile: otherCa }))]);
    try {
      await record(2, m);
      const cursor = () => api.db.auditStreamCursor.findUnique({ where: { destination: name } });
      await waitUntil(async () => ((await cursor())?.failures ?? 0) >= 3, 'three deliveries failed');
      const row = (await cursor())!;
      expect(row.deliveredSeq).toBe(start);
      expect(row.lastError).toMatch(/certificate/i);
      expect(seqsOf(rsyslog.messages(), m)).toEqual([]);
    } finally {
      await sender.stop();
    }
  });

  it('survives a receiver outage: every event arrives once, in order, and the backlog gauge rises then falls to 0', async () => {
    const m = marker();
    const name = `outage-${m}`;
    const { registry } = createMetrics();
    registerAuditStreamMetrics(registry, repo(), [name]);
    const start = await headSeq();
    const sender = stream([syslogTo(name, target('tcp', rsyslog.tcpPort))]);
    let stopped = false;
    try {
      const before = await record(2, m);
      await rsyslog.waitFor((all) => seqsOf(all, m).length >= 2);
      // The cursor moves just after rsyslog has the batch.
      await waitUntil(async () => (await backlogGauge(registry, name)) === 0, 'the backlog is 0');

      await rsyslog.stop();
      stopped = true;
      const during = await record(7, m);
      const expected = await trailAfter(start);
      // Nothing can be delivered now: the gauge counts all of them (and whatever else was appended).
      let backlog = await backlogGauge(registry, name);
      expect(backlog).toBeGreaterThanOrEqual(during.length);
      await waitUntil(async () => (await api.db.auditStreamCursor.findUniqueOrThrow({ where: { destination: name } })).failures >= 2, 'two retries failed');
      backlog = await backlogGauge(registry, name);
      expect(backlog).toBeGreaterThanOrEqual(during.length);

      await rsyslog.start();
      stopped = false;
      const messages = await rsyslog.waitFor((all) => seqsOf(all, m).length >= 9);
      expect(seqsOf(messages, m)).toEqual([...before, ...during]);
      // Exactly once and in order across the whole trail the cursor covered, not just ours.
      const received = messages.map(parseSyslog).map((p) => p.sd[SD_ID]!.seq!);
      const covered = received.filter((s) => expected.includes(s) && BigInt(s) > start);
      const firstIndex = received.indexOf(expected[0]!);
      expect(received.slice(firstIndex).filter((s) => expected.includes(s))).toEqual(expected);
      expect(new Set(covered).size).toBe(covered.length);
      await waitUntil(async () => (await backlogGauge(registry, name)) === 0, 'the backlog is 0 again');
    } finally {
      await sender.stop();
      // The next tests need it.
      if (stopped) await rsyslog.start();
    }
  }, 60_000);

  it('sends each event once when two workers stream to the same destination (one holds the lease)', async () => {
    const m = marker();
    const name = `shared-${m}`;
    const start = await headSeq();
    const senders = [stream([syslogTo(name, target('tcp', rsyslog.tcpPort))]), stream([syslogTo(name, target('tcp', rsyslog.tcpPort))])];
    try {
      const seqs = await record(12, m);
      const messages = await rsyslog.waitFor((all) => seqsOf(all, m).length >= 12);
      await waitUntil(
        async () => (await api.db.auditStreamCursor.findUniqueOrThrow({ where: { destination: name } })).deliveredSeq >= BigInt(seqs.at(-1)!),
        'the cursor is at the end',
      );
      expect(seqsOf(rsyslog.messages(), m)).toEqual(seqs);
      // Only these two senders run now: whatever rsyslog got of this part of the trail came from them, once each.
      const expected = await trailAfter(start);
      const received = rsyslog
        .messages()
        .map((raw) => parseSyslog(raw).sd[SD_ID]!.seq!)
        .filter((s) => expected.includes(s));
      expect(received).toEqual(expected);
      expect(messages.length).toBeGreaterThanOrEqual(12);
    } finally {
      await Promise.all(senders.map((s) => s.stop()));
    }
  });

  it('delivers over UDP', async () => {
    const m = marker();
    const sender = stream([syslogTo(`udp-${m}`, target('udp', rsyslog.udpPort))]);
    try {
      const seqs = await record(3, m);
      const messages = await rsyslog.waitFor((all) => seqsOf(all, m).length >= 3);
      expect(seqsOf(messages, m).sort()).toEqual([...seqs].sort());
    } finally {
      await sender.stop();
    }
  });
});

describe('audit streaming as JSON lines', () => {
  it('appends each event once to a file, even when the cursor fell behind the file (a crash between write and commit)', async () => {
    const m = marker();
    const file = join(dir, `audit-${m}.jsonl`);
    const name = `json-${m}`;
    const start = await headSeq();
    const first = stream([jsonLinesDestination(file, name)]);
    const seqs = await record(4, m);
    const lines = () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { seq: string; details: { marker?: string } });
    await waitUntil(() => existsSync(file) && lines().filter((l) => l.details.marker === m).length >= 4, 'four lines are written');
    await first.stop();
    expect(lines().map((l) => l.seq)).toEqual(await trailAfter(start));
    // As if PassMan died after writing the file but before moving the cursor.
    await api.db.auditStreamCursor.update({ where: { destination: name }, data: { deliveredSeq: start } });
    const more = await record(2, m);
    const second = stream([jsonLinesDestination(file, name)]);
    try {
      await waitUntil(() => lines().filter((l) => l.details.marker === m).length >= 6, 'six lines are written');
      const written = lines().map((l) => l.seq);
      expect(written).toEqual(await trailAfter(start));
      expect(written.filter((s) => [...seqs, ...more].includes(s))).toEqual([...seqs, ...more]);
    } finally {
      await second.stop();
    }
  });
});

describe('secrets never reach the stream', () => {
  it('streams a credential being stored and checked out without its value', async () => {
    const m = marker();
    const file = join(dir, `secrets-${m}.jsonl`);
    const start = await headSeq();
    const sender = stream([jsonLinesDestination(file, `json-${m}`), syslogTo(`secrets-${m}`, target('tcp', rsyslog.tcpPort))]);
    try {
      const secret = newPassword();
      const account = await createAccount(api);
      await createCredential(api, account.id, { type: 'PASSWORD', value: secret });
      const admin = await loginAs(api, 'admin');
      const res = await client(admin).post(`/accounts/${account.id}/checkout`, { credentialType: 'PASSWORD' });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain(secret);
      const checkout = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'credential.checkout', seq: { gt: start } } });
      const seq = checkout.seq.toString();
      const messages = await rsyslog.waitFor((all) => all.some((raw) => parseSyslog(raw).sd[SD_ID]?.seq === seq));
      await waitUntil(() => existsSync(file) && readFileSync(file, 'utf8').includes(`"seq":"${seq}"`), 'the checkout is in the file');
      const json = readFileSync(file, 'utf8');
      expect(json).toContain(`"seq":"${seq}"`);
      expect(json).not.toContain(secret);
      expect(messages.join('\n')).not.toContain(secret);
    } finally {
      await sender.stop();
    }
  });
});
