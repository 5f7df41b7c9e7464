import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Permission } from '@passman/contracts';
import { startSshTarget, type SshTarget } from '@passman/testkit';
import { bearerFor, createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount, registerTarget, waitForJob } from '../jobs/jobs.test-util.js';

/**
 * Host-key trust follows the address: whoever may edit a target (targets.manage) must not be
 * able to point it at a host they control and have PassMan log in there. Two real sshd hosts
 * with host keys of their own: `legit` holds the account, `rogue` is the attacker's.
 */
let pm: TestApi;
let admin: LoggedIn;
let legit: SshTarget;
let rogue: SshTarget;

beforeAll(async () => {
  // DEBUG1 makes sshd log every authentication request, so "no attempt" is something the log can show.
  [pm, legit, rogue] = await Promise.all([createTestApi(), startSshTarget(), startSshTarget({ logLevel: 'DEBUG1' })]);
  pm.startWorker({ leaseMs: 5_000 });
  admin = await loginAs(pm, 'admin');
}, 60_000);
afterAll(async () => {
  await pm?.close();
  await legit?.stop();
  await rogue?.stop();
});

/** A target on the legit host with its key approved and an account whose password works there (InSync). */
async function inSyncAccount() {
  const targetId = await registerTarget(admin, legit);
  const name = newUser();
  const password = newPassword();
  await legit.addUsers([{ name, password }]);
  const accountId = await registerAccount(admin, targetId, name, password);
  const job = await waitForJob(admin, (await client(admin).post(`/accounts/${accountId}/check`).expect(202)).body.id);
  expect(job.state).toBe('succeeded');
  return { targetId, accountId, name };
}

function bearer(token: string) {
  const agent = pm.request();
  return {
    get: (path: string) => agent.get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) => agent.post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) => agent.patch(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body),
  };
}

const keysOf = async (targetId: string) =>
  (await client(admin).get(`/targets/${targetId}`).expect(200)).body.hostKeys as {
    fingerprint: string;
    status: string;
    approvedAt: string | null;
    seenAt: unknown;
  }[];

const auditOf = async (action: string, objectId: string) =>
  pm.db.auditEvent.findMany({ where: { action, objectId }, orderBy: { seq: 'asc' }, select: { details: true, actorId: true } });

describe('changing a target’s address or port', () => {
  it('moves its pinned keys back to pending, and says so in the audit trail', async () => {
    const targetId = await registerTarget(admin, legit);
    expect(await keysOf(targetId)).toEqual([
      expect.objectContaining({
        fingerprint: legit.fingerprints[0],
        status: 'APPROVED',
        seenAt: expect.objectContaining({ address: legit.host, port: legit.port }),
      }),
    ]);

    // Renaming keeps the trust: the host is the same.
    await client(admin)
      .patch(`/targets/${targetId}`, { name: `renamed-${newUser()}` })
      .expect(200);
    expect((await keysOf(targetId)).map((k) => k.status)).toEqual(['APPROVED']);

    const moved = await client(admin).patch(`/targets/${targetId}`, { port: 2200 }).expect(200);
    expect(moved.body.hostKeys).toEqual([expect.objectContaining({ fingerprint: legit.fingerprints[0], status: 'PENDING', approvedAt: expect.any(String) })]);
    const updates = await auditOf('target.update', targetId);
    expect(updates.at(-1)!.details).toMatchObject({ fields: ['port'], hostKeysUnpinned: [legit.fingerprints[0]] });

    // Moving back does not restore trust either: a person approves again.
    await client(admin).patch(`/targets/${targetId}`, { port: legit.port }).expect(200);
    expect((await keysOf(targetId)).map((k) => k.status)).toEqual(['PENDING']);
  });

  it('a key offered at the old address cannot be approved for the new one', async () => {
    const targetId = await registerTarget(admin, legit, { approve: false });
    await client(admin).post(`/targets/${targetId}/host-key/scan`).expect(200);
    await client(admin).patch(`/targets/${targetId}`, { address: rogue.host, port: rogue.port }).expect(200);
    const refused = await client(admin).post(`/targets/${targetId}/host-key/approve`, { fingerprint: legit.fingerprints[0] }).expect(409);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', reason: 'HOST_KEY_SEEN_ELSEWHERE' });
    expect((await keysOf(targetId)).map((k) => k.status)).toEqual(['PENDING']);
  });

  it('approving the new host’s key is audited with the fingerprints trusted before', async () => {
    const targetId = await registerTarget(admin, legit);
    await client(admin).patch(`/targets/${targetId}`, { address: rogue.host, port: rogue.port }).expect(200);
    const scanned = await client(admin).post(`/targets/${targetId}/host-key/scan`).expect(200);
    expect(scanned.body).toMatchObject({ fingerprint: rogue.fingerprints[0], status: 'PENDING' });
    const approved = await client(admin).post(`/targets/${targetId}/host-key/approve`, { fingerprint: rogue.fingerprints[0] }).expect(200);
    expect(approved.body).toEqual({ fingerprint: rogue.fingerprints[0], status: 'APPROVED', previousFingerprints: [legit.fingerprints[0]] });
    const approvals = await auditOf('target.host_key.approve', targetId);
    expect(approvals.at(-1)).toEqual({
      actorId: admin.user.id,
      details: {
        fingerprint: rogue.fingerprints[0],
        algorithm: 'ssh-ed25519',
        address: rogue.host,
        port: rogue.port,
        previousFingerprints: [legit.fingerprints[0]],
      },
    });
    expect(Object.fromEntries((await keysOf(targetId)).map((k) => [k.fingerprint, k.status]))).toEqual({
      [legit.fingerprints[0]!]: 'REVOKED',
      [rogue.fingerprints[0]!]: 'APPROVED',
    });
  });
});

describe('approving a host key', () => {
  it('is its own permission, targets.trust: targets.manage alone may scan but not approve', async () => {
    const targetId = await registerTarget(admin, legit, { approve: false });
    const manager = bearer(await bearerFor(pm, 'admin', ['targets.view', 'targets.manage']));
    await manager.post(`/targets/${targetId}/host-key/scan`).expect(200);
    const refused = await manager.post(`/targets/${targetId}/host-key/approve`, { fingerprint: legit.fingerprints[0] }).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect((await keysOf(targetId)).map((k) => k.status)).toEqual(['PENDING']);

    const trusted = bearer(await bearerFor(pm, 'admin', ['targets.trust']));
    await trusted.post(`/targets/${targetId}/host-key/approve`, { fingerprint: legit.fingerprints[0] }).expect(200);
    expect((await keysOf(targetId)).map((k) => k.status)).toEqual(['APPROVED']);
  });

  it('belongs to the admin and operator roles, never the auditor', async () => {
    const roles = await pm.db.role.findMany({ where: { name: { in: ['admin', 'operator', 'auditor'] } }, orderBy: { name: 'asc' } });
    expect(roles.map((r) => [r.name, r.permissions.includes('targets.trust')])).toEqual([
      ['admin', true],
      ['auditor', false],
      ['operator', true],
    ]);
  });
});

describe('a token holding targets.manage and credentials.check, turned against PassMan', () => {
  it('cannot redirect a target to a host it controls and harvest the stored password there', async () => {
    const { targetId, accountId, name } = await inSyncAccount();
    const scopes: Permission[] = ['targets.view', 'targets.manage', 'accounts.view', 'credentials.check', 'credentials.reset', 'jobs.view'];
    const attacker = bearer(await bearerFor(pm, 'admin', scopes));
    const mark = rogue.log.mark();

    // Point the target at the rogue host; try to vouch for its key.
    await attacker.patch(`/targets/${targetId}`, { address: rogue.host, port: rogue.port }).expect(200);
    const scanned = await attacker.post(`/targets/${targetId}/host-key/scan`).expect(200);
    expect(scanned.body).toMatchObject({ fingerprint: rogue.fingerprints[0], status: 'PENDING' });
    expect((await attacker.post(`/targets/${targetId}/host-key/approve`, { fingerprint: rogue.fingerprints[0] }).expect(403)).body.code).toBe('FORBIDDEN');

    // A check and a reset on the target: both reach the rogue host and stop at its key.
    const check = await waitForJob(admin, (await attacker.post(`/accounts/${accountId}/check`).expect(202)).body.id);
    expect(check).toMatchObject({ state: 'failed', errorCode: 'HOST_KEY_UNPINNED' });
    const reset = await attacker.post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: true }).expect(202);
    const resetJob = await waitForJob(admin, reset.body.id);
    expect(resetJob).toMatchObject({ state: 'failed', errorCode: 'HOST_KEY_UNPINNED' });

    const log = rogue.log.since(mark);
    // PassMan did connect (scan, check, reset), so the log is the rogue host's view of all of it…
    expect(log.match(/Connection from [\d.]+ port \d+/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    // …and no authentication was ever attempted there, for this account or any other.
    expect(log).not.toMatch(/userauth-request|Accepted |Failed |Invalid user|password for/);
    expect(log).not.toContain(name);
    // The vault copy is untouched: the pending secret of the refused reset never became current.
    const versions = await pm.db.credentialVersion.findMany({ where: { credential: { accountId } }, orderBy: { version: 'asc' }, select: { state: true } });
    expect(versions.map((v) => v.state)).toEqual(['CURRENT', 'FAILED']);
  });

  it('an auditor’s session is refused the approval too', async () => {
    const targetId = await registerTarget(admin, legit, { approve: false });
    await client(admin).post(`/targets/${targetId}/host-key/scan`).expect(200);
    const auditor = await loginAs(pm, 'auditor');
    const refused = await client(auditor).post(`/targets/${targetId}/host-key/approve`, { fingerprint: legit.fingerprints[0] }).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });
});

describe('someone with the database but not the master key', () => {
  it('cannot point a target at their host and mark its key approved: no job trusts an approval PassMan did not sign', async () => {
    const { targetId, accountId, name } = await inSyncAccount();
    const mark = rogue.log.mark();
    // Straight to the database: the target moved to the rogue host, its pinned row left as it was.
    await pm.db.$executeRaw`UPDATE targets SET address = ${rogue.host}, port = ${rogue.port} WHERE id = ${targetId}::uuid`;
    const moved = await waitForJob(admin, (await client(admin).post(`/accounts/${accountId}/check`).expect(202)).body.id);
    expect(moved).toMatchObject({ state: 'failed', errorCode: 'HOST_KEY_UNPINNED' });

    // Then the rogue's key marked APPROVED, carrying the legit approval's signature.
    const [legitRow] = await pm.db.$queryRaw<
      { approval_mac: string }[]
    >`SELECT approval_mac FROM target_host_keys WHERE target_id = ${targetId}::uuid AND status = 'APPROVED'`;
    expect(legitRow!.approval_mac).toMatch(/^[0-9a-f]{64}$/);
    await pm.db
      .$executeRaw`UPDATE target_host_keys SET status = 'APPROVED', approval_mac = ${legitRow!.approval_mac}, approved_at = now() WHERE target_id = ${targetId}::uuid AND fingerprint = ${rogue.fingerprints[0]}`;
    const forged = await waitForJob(admin, (await client(admin).post(`/accounts/${accountId}/check`).expect(202)).body.id);
    expect(forged).toMatchObject({ state: 'failed', errorCode: 'HOST_KEY_UNPINNED' });

    const log = rogue.log.since(mark);
    expect(log.match(/Connection from [\d.]+ port \d+/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(log).not.toMatch(/userauth-request|Accepted |Failed |Invalid user|password for/);
    expect(log).not.toContain(name);
    // The console shows both keys as waiting for a person, not as trusted.
    expect((await keysOf(targetId)).map((k) => k.status).sort()).toEqual(['PENDING', 'PENDING']);
  });
});
