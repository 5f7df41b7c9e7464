import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createTestApi, type TestApi } from '../../test/harness.js';
import { createTarget } from '../../test/factories.js';
import { createHostKeysRepo, MAX_UNAPPROVED_KEYS } from './host-keys.repo.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const offered = () => {
  const fingerprint = `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
  return { algorithm: 'ssh-ed25519', fingerprint, publicKey: `ssh-ed25519 ${randomBytes(51).toString('base64')}` };
};

describe('recording offered host keys', () => {
  it('keeps at most MAX_UNAPPROVED_KEYS never-approved keys per target (the newest), whatever a host offers, and never drops approved or once-approved ones', async () => {
    const target = await createTarget(api);
    const repo = createHostKeysRepo(api.db);
    const seen = { address: target.address, port: target.port };
    const approved = await repo.recordOffered(target.id, offered(), seen);
    await repo.approve(approved.id, null, 'mac');
    const unpinned = await repo.recordOffered(target.id, offered(), seen);
    await api.db.targetHostKey.update({ where: { id: unpinned.id }, data: { approvedAt: new Date() } });
    const fingerprints: string[] = [];
    for (let i = 0; i < MAX_UNAPPROVED_KEYS + 15; i += 1) {
      const key = offered();
      fingerprints.push(key.fingerprint);
      await repo.recordOffered(target.id, key, seen);
    }
    const rows = await api.db.targetHostKey.findMany({ where: { targetId: target.id } });
    const neverApproved = rows.filter((r) => r.approvedAt === null).map((r) => r.fingerprint);
    expect(neverApproved.sort()).toEqual(fingerprints.slice(-MAX_UNAPPROVED_KEYS).sort());
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([approved.id, unpinned.id]));
  });
});
