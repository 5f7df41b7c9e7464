import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AccountReportRow, ActivityRow, HostKeyReportRow } from '@passman/contracts';
import { createAccount, createFolder, createGrant, createHostKey, createPolicy, createTarget, loginWith } from '../../test/factories.js';
import { systemContext } from '../../lib/actor.js';
import { createTestApi, createUser, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount } from '../jobs/jobs.test-util.js';

// Reports share the run's database with every other test file, so each test reads its own folder
// (folderId=…) — except where the point is what an operator sees without any filter: they have
// rights only on this file's folder, so everything they see must be this file's rows.

let pm: TestApi;
let admin: LoggedIn;
let auditor: LoggedIn;
/** An operator with view and checkout on `shown`, denied view on `hidden` below it, and nothing on `elsewhere`. */
let operator: LoggedIn;
let shown: string;
let hidden: string;
let elsewhere: string;

const DAY = 86_400_000;

beforeAll(async () => {
  pm = await createTestApi();
  [admin, auditor] = await Promise.all([loginAs(pm, 'admin'), loginAs(pm, 'auditor')]);
  const user = await createUser(pm, 'operator', { vaultRights: 'none' });
  shown = (await createFolder(pm)).id;
  hidden = (await createFolder(pm, { parentId: shown })).id;
  elsewhere = (await createFolder(pm)).id;
  for (const action of ['view', 'checkout'] as const)
    await createGrant(pm, { object: { type: 'folder', id: shown }, principal: { type: 'user', id: user.id }, action });
  await createGrant(pm, { object: { type: 'folder', id: hidden }, principal: { type: 'user', id: user.id }, action: 'view', effect: 'DENY' });
  operator = await loginWith(pm, user);
});
afterAll(async () => {
  await pm?.close();
});

type Page<T> = { items: T[]; nextCursor: string | null; summary: { key: string; count: number }[] | null; total: number | null };

async function report<T>(who: LoggedIn, name: string, query: string, status = 200): Promise<Page<T>> {
  return (await who.agent.get(`/api/v1/reports/${name}?${query}`).expect(status)).body as Page<T>;
}

/** Every row, following nextCursor with small pages. */
async function walk<T>(who: LoggedIn, name: string, query: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await report<T>(who, name, `${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

async function csv(who: LoggedIn, path: string): Promise<string[][]> {
  const res = await who.agent.get(`/api/v1${path}`).set('Accept', 'text/csv').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  return parseCsv(res.text);
}

/** RFC 4180, enough for these tests: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  expect(cell).toBe('');
  return rows;
}

/** An account in `folderId` (on a new target there) with these row fields. */
async function accountIn(folderId: string, state: Parameters<typeof createAccount>[2] = {}, targetName?: string) {
  const target = await createTarget(pm, { folderId, ...(targetName ? { name: targetName } : {}) });
  return createAccount(pm, target.id, state);
}

describe('Not in sync', () => {
  it('lists the reason and since when, longest first; an operator sees only what they may view, in rows and in counts', async () => {
    const since = (days: number) => new Date(Date.now() - days * DAY);
    const a1 = await accountIn(shown, { status: 'NotInSync', statusReason: 'AUTH_REJECTED' });
    const a2 = await accountIn(shown, { status: 'NotInSync', statusReason: 'UNREACHABLE' });
    const inSync = await accountIn(shown, { status: 'InSync' });
    const h1 = await accountIn(hidden, { status: 'NotInSync', statusReason: 'UNREACHABLE' });
    const e1 = await accountIn(elsewhere, { status: 'NotInSync', statusReason: 'UNREACHABLE' });
    // The trigger set status_since when the status changed; put them in a known order.
    await pm.db.account.update({ where: { id: a1.id }, data: { statusSince: since(3) } });
    await pm.db.account.update({ where: { id: a2.id }, data: { statusSince: since(9) } });
    expect((await pm.db.account.findUniqueOrThrow({ where: { id: inSync.id } })).statusSince.getTime()).toBeGreaterThan(Date.now() - DAY);

    const all = await report<AccountReportRow>(admin, 'not-in-sync', `folderId=${shown}`);
    expect(all.items.map((r) => r.accountId)).toEqual([a2.id, a1.id, h1.id]);
    expect(all.items[0]).toMatchObject({ statusReason: 'UNREACHABLE', status: 'NotInSync' });
    expect(Date.parse(all.items[0]!.statusSince)).toBeLessThan(Date.parse(all.items[1]!.statusSince));
    expect(all.total).toBe(3);
    expect(all.summary).toEqual([
      { key: 'UNREACHABLE', count: 2 },
      { key: 'AUTH_REJECTED', count: 1 },
    ]);

    // Without any filter the operator sees only this file's folder, the denied subfolder left out — not even counted.
    const theirs = await report<AccountReportRow>(operator, 'not-in-sync', '');
    expect(theirs.items.map((r) => r.accountId)).toEqual([a2.id, a1.id]);
    expect(theirs.total).toBe(2);
    expect(theirs.summary).toEqual([
      { key: 'AUTH_REJECTED', count: 1 },
      { key: 'UNREACHABLE', count: 1 },
    ]);
    // A folder they may not see is one that does not exist.
    expect((await report(operator, 'not-in-sync', `folderId=${hidden}`, 404)) as unknown).toMatchObject({ code: 'NOT_FOUND' });
    expect((await report(operator, 'not-in-sync', `folderId=${elsewhere}`, 404)) as unknown).toMatchObject({ code: 'NOT_FOUND' });
    // The auditor sees everything, the other folder too.
    expect((await report<AccountReportRow>(auditor, 'not-in-sync', `folderId=${elsewhere}`)).items.map((r) => r.accountId)).toEqual([e1.id]);
    // Not recursive: the subfolder's account is left out.
    expect((await report<AccountReportRow>(admin, 'not-in-sync', `folderId=${shown}&recursive=false`)).items.map((r) => r.accountId)).toEqual([a2.id, a1.id]);
    // Pages of 2 give the same rows; the cursor of another report is refused.
    const walked = await walk<AccountReportRow>(admin, 'not-in-sync', `folderId=${shown}`);
    expect(walked.map((r) => r.accountId)).toEqual([a2.id, a1.id, h1.id]);
    const first = await report<AccountReportRow>(admin, 'not-in-sync', `folderId=${shown}&limit=1`);
    expect(first.nextCursor).not.toBeNull();
    expect(((await report(admin, 'noncompliant', `cursor=${first.nextCursor}`, 400)) as unknown as { code: string }).code).toBe('INVALID_CURSOR');
  });
});

describe('Rotation overdue, Noncompliant, Checked out now, Host keys pending', () => {
  it('each lists what its name says, in its folder, as the caller may see it', async () => {
    const folder = (await createFolder(pm, { parentId: shown })).id;
    const policy = await createPolicy(pm, { rotationIntervalDays: 30 });
    const old = await accountIn(folder, { policyId: policy.id, lastChangedAt: new Date(Date.now() - 40 * DAY) });
    await accountIn(folder, { policyId: policy.id, lastChangedAt: new Date(Date.now() - 5 * DAY) });
    const overdue = await report<AccountReportRow>(admin, 'rotation-overdue', `folderId=${folder}`);
    expect(overdue.items.map((r) => r.accountId)).toEqual([old.id]);
    expect(overdue.items[0]).toMatchObject({ policyName: policy.name, rotationIntervalDays: 30 });
    expect(Date.parse(overdue.items[0]!.rotationDueAt!)).toBe(Date.parse(overdue.items[0]!.lastChangedAt!) + 30 * DAY);
    expect(overdue.summary).toEqual([{ key: '8 to 30 days', count: 1 }]);

    const bad = await accountIn(folder, { compliance: 'Noncompliant', policyId: policy.id });
    await accountIn(folder, { compliance: 'Compliant' });
    const noncompliant = await report<AccountReportRow>(admin, 'noncompliant', `folderId=${folder}`);
    expect(noncompliant.items.map((r) => r.accountId)).toEqual([bad.id]);
    expect(noncompliant.summary).toEqual([{ key: policy.name, count: 1 }]);

    const until = new Date(Date.now() + 3_600_000);
    const held = await accountIn(folder, { checkedOutById: admin.user.id, checkedOutAt: new Date(), checkoutExpiresAt: until });
    await accountIn(folder, { checkedOutById: admin.user.id, checkedOutAt: new Date(Date.now() - 7200_000), checkoutExpiresAt: new Date(Date.now() - 60_000) });
    const out = await report<AccountReportRow>(operator, 'checked-out', `folderId=${folder}`);
    expect(out.items.map((r) => r.accountId)).toEqual([held.id]);
    expect(out.items[0]).toMatchObject({ checkedOutById: admin.user.id, checkedOutByName: admin.user.username, checkoutExpiresAt: until.toISOString() });
    expect(out.summary).toEqual([{ key: admin.user.username, count: 1 }]);
    expect((await report<AccountReportRow>(operator, 'checked-out', `folderId=${folder}&userId=${operator.user.id}`)).items).toEqual([]);

    const target = await createTarget(pm, { folderId: folder });
    const key = await createHostKey(pm, target.id);
    const hiddenKey = await createHostKey(pm, (await createTarget(pm, { folderId: hidden })).id);
    const keys = await report<HostKeyReportRow>(operator, 'host-keys-pending', `folderId=${shown}`);
    expect(keys.items.map((r) => r.hostKeyId)).toEqual([key.id]);
    expect(keys.items[0]).toMatchObject({ targetName: target.name, fingerprint: key.fingerprint, algorithm: 'ssh-ed25519' });
    expect((await report<HostKeyReportRow>(admin, 'host-keys-pending', `folderId=${shown}`)).items.map((r) => r.hostKeyId).sort()).toEqual(
      [key.id, hiddenKey.id].sort(),
    );
  });
});

describe('Activity', () => {
  it('records who checked out which account, when, from where and with what right; filters by user, kind and time', async () => {
    const target = await createTarget(pm, { folderId: shown });
    const accountId = await registerAccount(admin, target.id, newUser(), newPassword());
    const ip = '203.0.113.77';
    const before = new Date(Date.now() - 1000).toISOString();
    await operator.agent.post(`/api/v1/accounts/${accountId}/checkout`).set('X-CSRF-Token', operator.csrf).set('X-Forwarded-For', ip).send({}).expect(200);

    const rows = (await report<ActivityRow>(admin, 'activity', `targetId=${target.id}`)).items;
    const checkout = rows.find((r) => r.kind === 'checkout')!;
    expect(checkout).toMatchObject({
      action: 'credential.checkout',
      right: 'checkout',
      actorId: operator.user.id,
      actorName: operator.user.username,
      clientAddress: ip,
      accountId,
      targetName: target.name,
      outcome: 'success',
    });
    expect(Date.parse(checkout.at)).toBeGreaterThanOrEqual(Date.parse(before));
    // Storing the password was a change in the vault, needing the right update.
    expect(rows.find((r) => r.kind === 'change')).toMatchObject({ action: 'credential.create', right: 'update', actorId: admin.user.id });
    expect(rows).toHaveLength(2);
    // Newest first.
    expect(rows.map((r) => Number(r.id))).toEqual([...rows.map((r) => Number(r.id))].sort((a, b) => b - a));

    const byOperator = (await report<ActivityRow>(admin, 'activity', `targetId=${target.id}&userId=${operator.user.id}`)).items;
    expect(byOperator.map((r) => r.kind)).toEqual(['checkout']);
    expect((await report<ActivityRow>(admin, 'activity', `targetId=${target.id}&kind=change`)).items.map((r) => r.action)).toEqual(['credential.create']);
    expect((await report<ActivityRow>(admin, 'activity', `targetId=${target.id}&until=${before}`)).items).toEqual([]);
    const summary = (await report<ActivityRow>(admin, 'activity', `targetId=${target.id}`)).summary!;
    const days = new Map<string, number>();
    for (const r of rows) days.set(r.at.slice(0, 10), (days.get(r.at.slice(0, 10)) ?? 0) + 1);
    expect(summary).toEqual([...days].sort().map(([key, count]) => ({ key, count })));

    // A hidden account's events never reach the operator, whatever they filter on.
    const hiddenTarget = await createTarget(pm, { folderId: hidden });
    const hiddenAccount = await registerAccount(admin, hiddenTarget.id, newUser(), newPassword());
    await client(admin).post(`/accounts/${hiddenAccount}/checkout`, {}).expect(200);
    const seen = await walk<ActivityRow>(operator, 'activity', `since=${before}`);
    expect(seen.map((r) => r.accountId)).not.toContain(hiddenAccount);
    expect(seen.map((r) => r.accountId)).toContain(accountId);
    expect((await report(operator, 'activity', `targetId=${hiddenTarget.id}`, 404)) as unknown).toMatchObject({ code: 'NOT_FOUND' });
    // Its CSV has the same rows.
    const table = await csv(admin, `/reports/activity?targetId=${target.id}`);
    expect(table[0]).toEqual([
      'Time (UTC)',
      'User',
      'User ID',
      'Activity',
      'Right',
      'Audit action',
      'Outcome',
      'Client address',
      'Target',
      'Account',
      'Account ID',
      'Event',
      'Account deleted',
    ]);
    expect(table.slice(1).map((r) => r[11])).toEqual(rows.map((r) => r.id));
    expect(table.find((r) => r[3] === 'checkout')!.slice(1, 8)).toEqual([
      operator.user.username,
      operator.user.id,
      'checkout',
      'checkout',
      'credential.checkout',
      'success',
      ip,
    ]);
  });
});

describe('Activity of a settled reset', () => {
  it('shows a person confirming which secret the target holds as a reset, needing the right reset', async () => {
    const target = await createTarget(pm, { folderId: shown });
    const accountId = await registerAccount(admin, target.id, newUser(), newPassword());
    await pm.services.audit.record(systemContext('confirm-outcome'), {
      action: 'credential.reset.confirmed',
      objectType: 'credential',
      objectId: randomUUID(),
      details: { accountId, targetHolds: 'NEW' },
    });
    const resets = (await report<ActivityRow>(admin, 'activity', `targetId=${target.id}&kind=reset`)).items;
    expect(resets.map((r) => [r.action, r.kind, r.right, r.accountId])).toEqual([['credential.reset.confirmed', 'reset', 'reset', accountId]]);
    expect((await report<ActivityRow>(admin, 'activity', `targetId=${target.id}&kind=change`)).items.map((r) => r.action)).toEqual(['credential.create']);
  });
});

describe('Activity of a deleted account', () => {
  it('stays in the report for those who see the whole vault, named as its deletion recorded it; never for an operator', async () => {
    const user = await createUser(pm, 'operator', { vaultRights: 'none' });
    const folder = (await createFolder(pm, { parentId: shown })).id;
    for (const action of ['view', 'checkout'] as const)
      await createGrant(pm, { object: { type: 'folder', id: folder }, principal: { type: 'user', id: user.id }, action });
    const holder = await loginWith(pm, user);
    const target = await createTarget(pm, { folderId: folder });
    const username = newUser();
    const accountId = await registerAccount(admin, target.id, username, newPassword());
    await client(holder).post(`/accounts/${accountId}/checkout`, {}).expect(200);
    await client(holder).post(`/accounts/${accountId}/checkin`).expect(200);
    expect((await report<ActivityRow>(holder, 'activity', `userId=${user.id}`)).items.map((r) => r.kind)).toEqual(['checkin', 'checkout']);
    await admin.agent.delete(`/api/v1/accounts/${accountId}`).set('X-CSRF-Token', admin.csrf).expect(204);

    const rows = (await report<ActivityRow>(auditor, 'activity', `userId=${user.id}`)).items;
    expect(rows.map((r) => [r.kind, r.accountId, r.username, r.targetName, r.targetId, r.accountDeleted])).toEqual([
      ['checkin', accountId, username, target.name, null, true],
      ['checkout', accountId, username, target.name, null, true],
    ]);
    expect((await report<ActivityRow>(holder, 'activity', `userId=${user.id}`)).items).toEqual([]);
    // A tree filter cannot place it.
    expect((await report<ActivityRow>(auditor, 'activity', `userId=${user.id}&folderId=${folder}`)).items).toEqual([]);
  });
});

describe('CSV', () => {
  it('escapes cells a spreadsheet would run as formulas, and quotes commas and quotes', async () => {
    const folder = (await createFolder(pm, { parentId: shown })).id;
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+2', '-3-4', '@SUM(A1)', 'a,"b"'];
    for (const name of hostile) await accountIn(folder, { compliance: 'Noncompliant' }, `${name} ${newUser('t')}`);
    const table = await csv(operator, `/reports/noncompliant?folderId=${folder}`);
    expect(table[0]).toEqual(['Target', 'Address', 'Account', 'Account ID', 'Policy', 'Compliance', 'Last changed (UTC)']);
    const names = table.slice(1).map((r) => r[0]!);
    expect(names).toHaveLength(hostile.length);
    for (const name of hostile) {
      const cell = names.find((n) => n.includes(name.slice(1)))!;
      expect(cell.startsWith(/^[=+\-@]/.test(name) ? `'${name}` : name)).toBe(true);
    }
    // The raw text: the comma-and-quote cell quoted with doubled quotes, no cell starting with a formula character.
    const raw = (await operator.agent.get(`/api/v1/reports/noncompliant?folderId=${folder}`).set('Accept', 'text/csv').expect(200)).text;
    expect(raw).toContain('"a,""b""');
    expect(raw.split(/[\r\n,]+/).some((cell) => /^"?[=+\-@]/.test(cell))).toBe(false);
  });

  it('streams every row, not a page, and a browser’s plain Accept gets JSON', async () => {
    // Outside the operator's folder: the first test counts every not-in-sync account they see.
    const folder = (await createFolder(pm, { parentId: elsewhere })).id;
    const target = await createTarget(pm, { folderId: folder });
    for (let i = 0; i < 7; i += 1) await createAccount(pm, target.id, { status: 'NotInSync', statusReason: 'UNREACHABLE' });
    expect((await csv(admin, `/reports/not-in-sync?folderId=${folder}&limit=2`)).length).toBe(1 + 7);
    const json = await admin.agent.get(`/api/v1/reports/not-in-sync?folderId=${folder}&limit=2`).set('Accept', '*/*').expect(200);
    expect(json.body.items).toHaveLength(2);
  });

  it('the metadata export: every account the caller may see, with status, compliance and last change, never a secret', async () => {
    const folder = (await createFolder(pm, { parentId: shown })).id;
    const target = await createTarget(pm, { folderId: folder });
    const password = newPassword();
    const accountId = await registerAccount(admin, target.id, newUser(), password);
    await createAccount(pm, (await createTarget(pm, { folderId: hidden })).id);
    const res = await operator.agent.get(`/api/v1/exports/metadata?folderId=${shown}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="passman-accounts-/);
    expect(res.text).not.toContain(password);
    const table = parseCsv(res.text);
    const header = table[0]!;
    expect(header).toEqual(expect.arrayContaining(['Target', 'Account', 'Status', 'Compliance', 'Last changed (UTC)']));
    const row = table.find((r) => r[header.indexOf('Account ID')] === accountId)!;
    expect(row[header.indexOf('Target')]).toBe(target.name);
    expect(row[header.indexOf('Status')]).toBe('Unknown');
    expect(['Compliant', 'Noncompliant']).toContain(row[header.indexOf('Compliance')]);
    // Nothing from the denied folder.
    const folderIds = table.slice(1).map((r) => r[header.indexOf('Folder ID')]);
    expect(folderIds).not.toContain(hidden);
    const json = await operator.agent.get(`/api/v1/exports/metadata?folderId=${folder}`).set('Accept', 'application/json').expect(200);
    expect(json.body.items.map((r: AccountReportRow) => r.accountId)).toEqual([accountId]);
  });
});
