import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, dropDatabase } from '@passman/testkit';
import pino from 'pino';
import { createTestApi, type TestApi } from '../../test/harness.js';
import { systemContext } from '../../lib/actor.js';
import { checkpointDue, startAuditCheckpointer } from './audit-checkpointer.js';
import type { StoredChainPoint } from './audit.repo.js';

const point = (seq: number, count: number, at: string): StoredChainPoint => ({
  seq: BigInt(seq),
  count: BigInt(count),
  hash: `h${seq}`,
  at: new Date(at),
  mac: 'm',
});

describe('checkpointDue', () => {
  const options = { everyEvents: 100, everyMs: 10 * 60_000 };
  const now = new Date('2026-12-01T12:00:00Z');
  it.each([
    ['no head', null, null, false],
    ['an empty chain', point(0, 0, '2026-12-01T11:00:00Z'), null, false],
    ['events and no checkpoint yet', point(3, 3, '2026-12-01T11:59:00Z'), null, true],
    ['no event since the last checkpoint', point(7, 7, '2026-12-01T10:00:00Z'), point(7, 7, '2026-12-01T10:00:00Z'), false],
    ['grown by everyEvents', point(120, 110, '2026-12-01T11:59:59Z'), point(10, 10, '2026-12-01T11:59:00Z'), true],
    ['grown a little, last checkpoint recent', point(20, 20, '2026-12-01T11:59:59Z'), point(10, 10, '2026-12-01T11:55:00Z'), false],
    ['grown a little, last checkpoint older than everyMs', point(20, 20, '2026-12-01T11:59:59Z'), point(10, 10, '2026-12-01T11:49:59Z'), true],
  ] as const)('%s', (_name, head, checkpoint, due) => {
    expect(checkpointDue({ head, checkpoint }, options, now)).toBe(due);
  });
});

describe('the checkpointer', () => {
  // A database of its own: the checkpoints it writes are compared with exactly this chain's head.
  const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
  let url: string;
  let pm: TestApi;
  beforeAll(async () => {
    url = await createMigratedDatabase(adminUrl(), 'passman_checkpoint');
    pm = await createTestApi({ databaseUrl: url });
  });
  afterAll(async () => {
    await pm?.close();
    await dropDatabase(adminUrl(), url);
  });

  it('copies the head into a checkpoint when due, writes it to the log, and not twice for the same head', async () => {
    const audit = pm.services.audit;
    const checkpointer = startAuditCheckpointer({ audit, logger: pino({ level: 'silent' }) }, { everyEvents: 2, everyMs: 3_600_000, tickMs: 3_600_000 });
    try {
      await audit.record(systemContext('cp-1'), { action: 'test.event', objectType: 'thing' });
      await checkpointer.tick(); // no checkpoint yet: the first is due at once
      const first = await pm.db.auditCheckpoint.findMany();
      const head = await pm.db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
      expect(first.map((c) => [c.seq, c.count, c.hash, c.mac])).toEqual([[head.seq, head.count, head.hash, head.mac]]);
      const logged = pm.logLines
        .map((l) => JSON.parse(l) as { msg: string; auditCheckpoint?: { hash: string; seq: string; mac: string } })
        .filter((l) => l.msg === 'audit checkpoint');
      expect(logged.at(-1)!.auditCheckpoint).toMatchObject({ seq: head.seq.toString(), hash: head.hash, mac: head.mac });

      await audit.record(systemContext('cp-2'), { action: 'test.event', objectType: 'thing' });
      await checkpointer.tick(); // one event since: not due yet
      expect(await pm.db.auditCheckpoint.count()).toBe(1);
      await audit.record(systemContext('cp-3'), { action: 'test.event', objectType: 'thing' });
      await checkpointer.tick();
      await checkpointer.tick();
      expect(await pm.db.auditCheckpoint.count()).toBe(2);
      expect((await audit.verify()).checkpointsChecked).toBe(2);
    } finally {
      await checkpointer.stop();
    }
  });
});
