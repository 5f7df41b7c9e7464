import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, type TestApi } from '../../test/harness.js';
import { createAccount } from '../../test/factories.js';
import { createLogger } from '../../lib/logger.js';
import { createWebhooksRepo } from '../webhooks/index.js';
import type { JobEndedNotice } from './alert-rules.js';
import { createAlertEngine, createAlertsRepo, DEFAULT_ALERT_ENGINE_OPTIONS } from './index.js';

// The alert engine told of job ends, against real PostgreSQL: which ends lead to an evaluation.
// A reset that succeeded can only resolve alerts, so it is evaluated only where one is open.

let pm: TestApi;

beforeAll(async () => {
  pm = await createTestApi();
});
afterAll(async () => {
  await pm?.close();
});

function countingEngine() {
  const repo = createAlertsRepo(pm.db);
  const counts = { evaluations: 0 };
  const counted = { ...repo, transaction: ((fn) => (counts.evaluations++, repo.transaction(fn))) as typeof repo.transaction };
  const engine = createAlertEngine(
    { repo: counted, webhooks: createWebhooksRepo(pm.db), logger: createLogger({ level: 'silent' }) },
    DEFAULT_ALERT_ENGINE_OPTIONS,
  );
  return { engine, counts };
}

const resetSucceeded = (accountId: string): JobEndedNotice => ({
  accountId,
  kind: 'RESET',
  state: 'succeeded',
  statusBefore: 'InSync',
  statusAfter: 'InSync',
});

/** An open rotation_overdue alert whose condition no longer holds (nothing rotates this account). */
async function staleAlert(account: { id: string; targetId: string }) {
  return pm.db.alert.create({
    data: { rule: 'rotation_overdue', accountId: account.id, targetId: account.targetId, objectId: account.id, summary: 'rotation overdue' },
  });
}

describe('the alert engine told of job ends', () => {
  it('does not evaluate succeeded resets of accounts without an open alert', async () => {
    const { engine, counts } = countingEngine();
    const [a, b] = [await createAccount(pm), await createAccount(pm)];
    await Promise.all([engine.jobEnded(resetSucceeded(a.id)), engine.jobEnded(resetSucceeded(b.id))]);
    expect(counts.evaluations).toBe(0);
  });

  it('evaluates, together, those whose account has one open, and resolves it', async () => {
    const { engine, counts } = countingEngine();
    const [quiet, alerted] = [await createAccount(pm), await createAccount(pm)];
    const alert = await staleAlert(alerted);
    await Promise.all([engine.jobEnded(resetSucceeded(quiet.id)), engine.jobEnded(resetSucceeded(alerted.id))]);
    expect(counts.evaluations).toBe(1);
    expect(await pm.db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ state: 'resolved' });
  });

  it('evaluates a failed reset, and a check that found the account NotInSync, whatever is open', async () => {
    const { engine, counts } = countingEngine();
    const account = await createAccount(pm);
    await engine.jobEnded({ accountId: account.id, kind: 'RESET', state: 'failed', statusBefore: 'InSync', statusAfter: undefined });
    await engine.jobEnded({ accountId: account.id, kind: 'CHECK', state: 'succeeded', statusBefore: 'InSync', statusAfter: 'NotInSync' });
    expect(counts.evaluations).toBe(2);
  });
});
