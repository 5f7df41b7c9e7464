import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import kdbxweb from 'kdbxweb';
import {
  createApprovalRequest,
  createApprovalRule,
  createFolder,
  createGrant,
  createPolicy,
  createTarget,
  createToken,
  loginWith,
} from '../../test/factories.js';
import { createTestApi, createUser, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { newPassword, newUser, registerAccount } from '../jobs/jobs.test-util.js';
import './kdbx-file.js';

// The secrets export: a KeePass file holding what a checkout of each account would reveal,
// refused as a whole unless every account may be checked out now (rights, approvals, a fresh
// authentication), and audited per account. The step-up rule's clock is moved past any window.

const PAST_ANY_WINDOW_MS = 25 * 3_600_000;
const FILE_PASSWORD = 'correct horse battery staple';
let offsetMs = 0;
let pm: TestApi;
let admin: LoggedIn;

beforeAll(async () => {
  pm = await createTestApi({ stepUpNow: () => new Date(Date.now() + offsetMs) });
  admin = await loginAs(pm, 'admin');
});
afterAll(async () => {
  await pm?.close();
});
beforeEach(() => {
  offsetMs = 0;
});

const exportKdbx = (who: LoggedIn, body: object) =>
  who.agent
    .post('/api/v1/exports/kdbx')
    .set('X-CSRF-Token', who.csrf)
    .send({ password: FILE_PASSWORD, ...body })
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const problemOf = (body: unknown) => JSON.parse((body as Buffer).toString('utf8')) as { code: string; lacking?: number; total?: number; missing?: number };

/** A folder with two targets of accounts whose passwords are known; returns them. */
async function estate() {
  const folder = await createFolder(pm);
  const sub = await createFolder(pm, { parentId: folder.id });
  const accounts: { id: string; username: string; password: string; targetName: string; folderName: string }[] = [];
  for (const f of [folder, sub]) {
    const target = await createTarget(pm, { folderId: f.id });
    const username = newUser();
    const password = newPassword();
    accounts.push({ id: await registerAccount(admin, target.id, username, password), username, password, targetName: target.name, folderName: f.name });
  }
  return { folder, sub, accounts };
}

async function openFile(file: Buffer, password = FILE_PASSWORD) {
  const data = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
  return kdbxweb.Kdbx.load(data, new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(password)));
}

describe('KDBX export', () => {
  it('writes every account’s current secret into a KDBX 4 file that opens with its password, groups following the folders', async () => {
    const { folder, accounts } = await estate();
    const res = await exportKdbx(admin, { folderId: folder.id, reason: 'migration' }).expect(200);
    expect(res.headers['content-type']).toBe('application/x-keepass2');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="passman-export-.*\.kdbx"/);
    const file = res.body as Buffer;
    for (const a of accounts) expect(file.includes(Buffer.from(a.password))).toBe(false);
    const db = await openFile(file);
    expect(db.header.versionMajor).toBe(4);
    const entries = [...db.getDefaultGroup().allEntries()];
    expect(entries).toHaveLength(2);
    for (const a of accounts) {
      const entry = entries.find((e) => e.fields.get('UserName') === a.username)!;
      expect((entry.fields.get('Password') as kdbxweb.ProtectedValue).getText()).toBe(a.password);
      expect(entry.fields.get('Title')).toBe(`${a.username}@${a.targetName}`);
      // Folder path, then the target: root › folder (› subfolder) › target.
      const names: string[] = [];
      for (let g = entry.parentGroup; g && g !== db.getDefaultGroup(); g = g.parentGroup) names.unshift(g.name!);
      expect(names.at(-1)).toBe(a.targetName);
      expect(names).toContain(a.folderName);
    }
    await expect(openFile(file, 'not the password at all')).rejects.toThrow();

    // One audit event per account, as for a checkout, with the reason; and Activity shows each as a checkout.
    for (const a of accounts) {
      const events = await pm.db.auditEvent.findMany({ where: { action: 'credential.export', objectId: a.id } });
      expect(events).toHaveLength(1);
      expect(events[0]!.actorId).toBe(admin.user.id);
      expect(events[0]!.details).toMatchObject({ accountId: a.id, format: 'kdbx', reason: 'migration', credentials: [{ type: 'PASSWORD', version: 1 }] });
      expect(JSON.stringify(events[0]!.details)).not.toContain(a.password);
    }
    const activity = await admin.agent.get(`/api/v1/reports/activity?folderId=${folder.id}&kind=checkout`).expect(200);
    expect(activity.body.items.map((r: { accountId: string; action: string }) => [r.accountId, r.action]).sort()).toEqual(
      accounts.map((a) => [a.id, 'credential.export']).sort(),
    );
  });

  it('without a fresh authentication: STEP_UP_REQUIRED, nothing exported or audited', async () => {
    const { folder, accounts } = await estate();
    offsetMs = PAST_ANY_WINDOW_MS;
    const res = await exportKdbx(admin, { folderId: folder.id }).expect(403);
    expect(problemOf(res.body).code).toBe('STEP_UP_REQUIRED');
    expect(await pm.db.auditEvent.count({ where: { action: 'credential.export', objectId: { in: accounts.map((a) => a.id) } } })).toBe(0);
  });

  it('refuses the whole export, saying how many, when the caller may not check out some of the accounts', async () => {
    const { folder, sub, accounts } = await estate();
    const user = await createUser(pm, 'operator', { vaultRights: 'none' });
    await createGrant(pm, { object: { type: 'folder', id: folder.id }, principal: { type: 'user', id: user.id }, action: 'view' });
    await createGrant(pm, { object: { type: 'folder', id: folder.id }, principal: { type: 'user', id: user.id }, action: 'checkout' });
    await createGrant(pm, { object: { type: 'folder', id: sub.id }, principal: { type: 'user', id: user.id }, action: 'checkout', effect: 'DENY' });
    const operator = await loginWith(pm, user);
    const res = await exportKdbx(operator, { folderId: folder.id }).expect(403);
    expect(problemOf(res.body)).toMatchObject({ code: 'FORBIDDEN', lacking: 1, total: 2 });
    expect(await pm.db.auditEvent.count({ where: { action: 'credential.export', objectId: { in: accounts.map((a) => a.id) } } })).toBe(0);
    // Narrowed to what they may check out, it goes through.
    const narrowed = await exportKdbx(operator, { folderId: folder.id, recursive: false }).expect(200);
    const entries = [...(await openFile(narrowed.body as Buffer)).getDefaultGroup().allEntries()];
    expect(entries.map((e) => e.fields.get('UserName'))).toEqual([accounts[0]!.username]);
    // An auditor's role cannot check out at all; a folder they cannot see is 404.
    const auditor = await loginAs(pm, 'auditor');
    expect(problemOf((await exportKdbx(auditor, { folderId: folder.id }).expect(403)).body).code).toBe('FORBIDDEN');
    const stranger = await loginWith(pm, await createUser(pm, 'operator', { vaultRights: 'none' }));
    expect(problemOf((await exportKdbx(stranger, { folderId: folder.id }).expect(404)).body).code).toBe('NOT_FOUND');
  });

  it('applies approval rules for checkout: without an approved request for every account under one, nothing is exported', async () => {
    const { folder, accounts } = await estate();
    await createApprovalRule(pm, { type: 'account', id: accounts[1]!.id }, 'checkout');
    const res = await exportKdbx(admin, { folderId: folder.id }).expect(403);
    expect(problemOf(res.body)).toMatchObject({ code: 'APPROVAL_REQUIRED', missing: 1, total: 2 });
    const approval = await createApprovalRequest(pm, accounts[1]!.id, { requesterId: admin.user.id, state: 'approved' });
    await exportKdbx(admin, { folderId: folder.id }).expect(200);
    expect((await pm.db.approvalRequest.findUniqueOrThrow({ where: { id: approval.id } })).state).toBe('used');
    const event = await pm.db.auditEvent.findFirstOrThrow({ where: { action: 'credential.export', objectId: accounts[1]!.id } });
    expect(event.details).toMatchObject({ approvalId: approval.id });
    // Used once: the next export needs another approval.
    expect(problemOf((await exportKdbx(admin, { folderId: folder.id }).expect(403)).body).code).toBe('APPROVAL_REQUIRED');
    // Two exports racing for one approval: exactly one gets the file.
    await createApprovalRequest(pm, accounts[1]!.id, { requesterId: admin.user.id, state: 'approved' });
    const racing = await Promise.all([exportKdbx(admin, { folderId: folder.id }), exportKdbx(admin, { folderId: folder.id })]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 403]);
  });

  it('refuses while an account is checked out exclusively, as a checkout would be', async () => {
    const { folder, accounts } = await estate();
    const policy = await createPolicy(pm, { checkoutExclusive: true });
    const holder = await createUser(pm, 'operator');
    await pm.db.account.update({
      where: { id: accounts[0]!.id },
      data: { policyId: policy.id, checkedOutById: holder.id, checkedOutAt: new Date(), checkoutExpiresAt: null },
    });
    const res = await exportKdbx(admin, { folderId: folder.id }).expect(409);
    expect(problemOf(res.body)).toMatchObject({ code: 'CONFLICT', held: 1, total: 2 });
    expect(await pm.db.auditEvent.count({ where: { action: 'credential.export', objectId: { in: accounts.map((a) => a.id) } } })).toBe(0);
    // Checked in: it goes through.
    await pm.db.account.update({ where: { id: accounts[0]!.id }, data: { checkedOutById: null, checkedOutAt: null } });
    await exportKdbx(admin, { folderId: folder.id }).expect(200);
  });

  it('takes the password in the body only, refuses a short one, and an empty selection', async () => {
    const { folder } = await estate();
    const short = await exportKdbx(admin, { folderId: folder.id, password: 'short' }).expect(422);
    expect(problemOf(short.body).code).toBe('VALIDATION_FAILED');
    for (const hostile of [{ password: 'x'.repeat(1025) }, { password: 'twelve chars\u0000 and NUL' }, { unknownField: true }, { folderId: 'not-a-uuid' }]) {
      expect(problemOf((await exportKdbx(admin, { folderId: folder.id, ...hostile }).expect(422)).body).code).toBe('VALIDATION_FAILED');
    }
    const empty = await createFolder(pm);
    expect(problemOf((await exportKdbx(admin, { folderId: empty.id }).expect(422)).body).code).toBe('UNPROCESSABLE');
    // An API token with the checkout scope is not asked to step up (tokens never are), but still needs the rights.
    const token = await createToken(pm, admin);
    const viaToken = await pm
      .request()
      .post('/api/v1/exports/kdbx')
      .set('Authorization', `Bearer ${token.token}`)
      .send({ password: FILE_PASSWORD, folderId: folder.id })
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(viaToken.status).toBe(200);
  });
});
