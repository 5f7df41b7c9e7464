import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ImportDetail } from '@passman/contracts';
import { CREDENTIAL_SECRET_PURPOSE } from '@passman/vault';
import ExcelJS from 'exceljs';
import { createFolder, createGrant, createUser, loginAs, loginWith, type LoggedIn } from '../../test/factories.js';
import { createTestApi, type TestApi } from '../../test/harness.js';
import { unique } from '../../test/ids.js';
import { waitUntil } from '../../test/wait-until.js';
import { loadKdbxweb } from '../../lib/kdbxweb.js';

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  // Real runs are jobs on the queue: a worker of this API's queue runs them.
  api.startWorker({ leaseMs: 5_000 });
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

/** The import once its real run has ended, as its requester reads it. */
async function waitForImport(who: LoggedIn, id: string, query = ''): Promise<ImportDetail> {
  let body: ImportDetail | undefined;
  await waitUntil(
    async () => {
      body = (await who.agent.get(`/api/v1/imports/${id}${query}`).expect(200)).body as ImportDetail;
      return body.state === 'succeeded' || body.state === 'failed';
    },
    `import ${id} to end`,
    30_000,
  );
  return body!;
}

type Fields = Record<string, string>;
const upload = (who: LoggedIn, file: Buffer, name: string, fields: Fields = {}) => {
  let req = who.agent.post('/api/v1/imports').set('X-CSRF-Token', who.csrf).attach('file', file, name);
  for (const [key, value] of Object.entries(fields)) req = req.field(key, value);
  return req;
};
const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const HEADER = 'Target_type,Target,Account,Password,Group_path,Description,URL';
/** Passwords that meet the default policy (20 characters of every class) or not. */
const strong = () => `Aa1!${unique('x').replace(/[^A-Za-z0-9]/g, '')}Zz9#`.padEnd(24, 'q');

async function accountsIn(folderId: string) {
  return api.db.account.findMany({
    where: { target: { folder: { ancestors: { some: { ancestorId: folderId } } } } },
    include: { target: true, credentials: { include: { versions: true } } },
    orderBy: [{ targetName: 'asc' }, { username: 'asc' }],
  });
}

function secretOf(credentialId: string, version: { version: number; ciphertext: Uint8Array; wrappedKey: Uint8Array; keyVersion: number }) {
  return api.vault.decrypt(version, { credentialId, version: version.version, purpose: CREDENTIAL_SECRET_PURPOSE }).toString('utf8');
}

async function runToEnd(who: LoggedIn, file: Buffer, name: string, fields: Fields) {
  const started = await upload(who, file, name, { ...fields, dryRun: 'false' }).expect(202);
  return waitForImport(who, started.body.id, '?limit=200');
}

describe('imports from CSV', () => {
  it('a dry run says per row what would happen and writes nothing; the run does it; the same file again creates nothing', async () => {
    const folder = await createFolder(api);
    const [p1, p2] = [strong(), strong()];
    const file = csv([
      HEADER,
      `ssh,db-01.example.internal,postgres,${p1},Linux/prod/db,Main database,`,
      `SSH,web-01,deploy,${p2},Linux/prod,,ssh://10.0.0.5:2222`,
      `ssh,db-01.example.internal,postgres,${p2},Linux/prod/db,duplicate,`,
      `rdp,win-01,administrator,${p1},,,`,
      `ssh,db-02,Bad User,${p1},,,`,
      `ssh,db-03,weak,short,,,`,
      `,db-04,x,${p1},,,`,
    ]);
    const dry = await upload(admin, file, 'secrets.csv', { folderId: folder.id }).expect(201);
    expect(dry.body).toMatchObject({ state: 'dry-run', dryRun: true, format: 'csv', folderId: folder.id });
    expect(dry.body.counts).toEqual({ total: 7, processed: 7, create: 3, update: 0, unchanged: 0, skip: 4, failed: 0 });
    const rows = (await admin.agent.get(`/api/v1/imports/${dry.body.id}`).expect(200)).body.rows.items;
    expect(rows.map((r: { row: number; outcome: string; reason: string | null }) => [r.row, r.outcome, r.reason])).toEqual([
      [2, 'create', null],
      [3, 'create', null],
      [4, 'skip', 'DUPLICATE_IN_FILE'],
      [5, 'skip', 'UNKNOWN_TARGET_TYPE'],
      [6, 'skip', 'BAD_VALUE'],
      [7, 'create', 'PASSWORD_NONCOMPLIANT'],
      [8, 'skip', 'BAD_VALUE'],
    ]);
    expect(await accountsIn(folder.id)).toEqual([]);
    expect(await api.db.folder.count({ where: { parentId: folder.id } })).toBe(0);

    const done = await runToEnd(admin, file, 'secrets.csv', { folderId: folder.id });
    expect(done.state).toBe('succeeded');
    expect(done.counts).toEqual({ total: 7, processed: 7, create: 3, update: 0, unchanged: 0, skip: 4, failed: 0 });
    const accounts = await accountsIn(folder.id);
    expect(accounts.map((a) => [a.target.name, a.target.address, a.target.port, a.username, a.description])).toEqual([
      ['db-01.example.internal', 'db-01.example.internal', 22, 'postgres', 'Main database'],
      ['db-03', 'db-03', 22, 'weak', ''],
      ['web-01', '10.0.0.5', 2222, 'deploy', ''],
    ]);
    const [db01, weak, web01] = accounts;
    const version = db01!.credentials[0]!.versions[0]!;
    expect([version.origin, version.state, version.version]).toEqual(['IMPORTED', 'CURRENT', 1]);
    expect(secretOf(db01!.credentials[0]!.id, version)).toBe(p1);
    expect(secretOf(web01!.credentials[0]!.id, web01!.credentials[0]!.versions[0]!)).toBe(p2);
    expect(weak!.compliance).toBe('Noncompliant');
    expect(db01!.compliance).toBe('Compliant');
    // Group_path became folders below the chosen one.
    const linux = await api.db.folder.findFirstOrThrow({ where: { parentId: folder.id, name: 'Linux' } });
    const prod = await api.db.folder.findFirstOrThrow({ where: { parentId: linux.id, name: 'prod' } });
    expect(db01!.target.folderId).toBe((await api.db.folder.findFirstOrThrow({ where: { parentId: prod.id, name: 'db' } })).id);
    // Every object created is audited, the credential without its value.
    const credentialEvents = await api.db.auditEvent.findMany({ where: { objectId: { in: accounts.map((a) => a.credentials[0]!.id) } } });
    expect(credentialEvents.map((e) => e.action)).toEqual(['credential.create', 'credential.create', 'credential.create']);
    expect(JSON.stringify(credentialEvents.map((e) => e.details))).not.toContain(p1);
    expect(await api.db.auditEvent.count({ where: { action: 'account.create', objectId: { in: accounts.map((a) => a.id) } } })).toBe(3);

    const again = await runToEnd(admin, file, 'secrets.csv', { folderId: folder.id });
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 3, skip: 4 });
    const after = await accountsIn(folder.id);
    expect(after.map((a) => a.credentials[0]!.versions.length)).toEqual([1, 1, 1]);
    expect(JSON.stringify(api.logLines)).not.toContain(p1);
  });

  it('a changed password becomes a new version; the error report lists the rest as CSV safe to open, without passwords', async () => {
    const folder = await createFolder(api);
    const [before, after] = [strong(), strong()];
    await runToEnd(admin, csv([HEADER, `ssh,app-01,svc,${before},,,`]), 'a.csv', { folderId: folder.id });
    const done = await runToEnd(
      admin,
      csv([HEADER, `ssh,app-01,svc,${after},,,`, `ssh,=cmd|' /C calc'!A0,x,${after},,,`, `@evil,+host,y,${after},,,`]),
      'b.csv',
      {
        folderId: folder.id,
      },
    );
    expect(done.counts).toMatchObject({ update: 1, skip: 2 });
    const [account] = await accountsIn(folder.id);
    const versions = account!.credentials[0]!.versions.sort((a, b) => a.version - b.version);
    expect(versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'RETIRED'],
      [2, 'CURRENT'],
    ]);
    expect(secretOf(account!.credentials[0]!.id, versions[1]!)).toBe(after);

    const report = await admin.agent.get(`/api/v1/imports/${done.id}/errors`).expect(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    const lines = report.text.trim().split('\r\n');
    expect(lines[0]).toBe('Row,Target_type,Target,Account,Group_path,Outcome,Reason,Message');
    expect(lines).toHaveLength(3);
    // Cells that a spreadsheet would run as formulas start with ' instead.
    expect(lines[1]!.startsWith("3,ssh,'=cmd|' /C calc'!A0,x,,skip,BAD_VALUE,")).toBe(true);
    expect(lines[2]!.startsWith("4,'@evil,'+host,y,,skip,UNKNOWN_TARGET_TYPE,")).toBe(true);
    expect(report.text).not.toContain(after);
  });
});

describe('imports beside resets', () => {
  it('leave an account alone while a reset of it is under way (a PENDING version)', async () => {
    const folder = await createFolder(api);
    await runToEnd(admin, csv([HEADER, `ssh,busy-01,svc,${strong()},,,`]), 'a.csv', { folderId: folder.id });
    const [account] = await accountsIn(folder.id);
    const credential = account!.credentials[0]!;
    const current = credential.versions[0]!;
    await api.db.credentialVersion.create({
      data: {
        credentialId: credential.id,
        version: 2,
        state: 'PENDING',
        origin: 'TYPED',
        ciphertext: current.ciphertext,
        wrappedKey: current.wrappedKey,
        keyVersion: current.keyVersion,
      },
    });
    const done = await runToEnd(admin, csv([HEADER, `ssh,busy-01,svc,${strong()},,,`]), 'b.csv', { folderId: folder.id });
    expect(done.rows.items[0]).toMatchObject({ outcome: 'skip', reason: 'ACCOUNT_BUSY' });
    const versions = await api.db.credentialVersion.findMany({ where: { credentialId: credential.id }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'CURRENT'],
      [2, 'PENDING'],
    ]);
  });
});

describe('imports from XLSX and KeePass', () => {
  it('reads the first worksheet of a workbook, with the columns mapped by the user', async () => {
    const folder = await createFolder(api);
    const password = strong();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Secrets');
    sheet.addRow(['Kind', 'Host', 'User', 'Secret', 'Where']);
    sheet.addRow(['ssh', 'xl-01', 'oracle', password, 'Databases']);
    sheet.addRow(['ssh', 'xl-02', 'root', { formula: '"Aa1!"&"bcdefghijklmnopq"', result: 'Aa1!bcdefghijklmnopq' }, '']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const mapping = JSON.stringify({ Target_type: 'Kind', Target: 'Host', Account: 'User', Password: 'Secret', Group_path: 'Where' });
    const done = await runToEnd(admin, file, 'book.xlsx', { folderId: folder.id, mapping });
    expect(done).toMatchObject({ state: 'succeeded', format: 'xlsx' });
    expect(done.counts).toMatchObject({ total: 2, create: 2 });
    const accounts = await accountsIn(folder.id);
    expect(accounts.map((a) => [a.target.name, a.username])).toEqual([
      ['xl-01', 'oracle'],
      ['xl-02', 'root'],
    ]);
    expect(secretOf(accounts[0]!.credentials[0]!.id, accounts[0]!.credentials[0]!.versions[0]!)).toBe(password);
    expect(secretOf(accounts[1]!.credentials[0]!.id, accounts[1]!.credentials[0]!.versions[0]!)).toBe('Aa1!bcdefghijklmnopq');
  });

  it('opens a KDBX 4 file with its password: groups become folders, entries accounts', async () => {
    const kdbxweb = await loadKdbxweb();
    const kdbxPassword = `kp-${unique('x')}`;
    const db = kdbxweb.Kdbx.create(new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(kdbxPassword)), 'Ops');
    db.setKdf(kdbxweb.Consts.KdfId.Argon2id);
    const linux = db.createGroup(db.getDefaultGroup(), 'Linux');
    const entry = db.createEntry(linux);
    const secret = strong();
    entry.fields.set('Title', 'kp-01');
    entry.fields.set('UserName', 'backup');
    entry.fields.set('Password', kdbxweb.ProtectedValue.fromString(secret));
    entry.fields.set('URL', 'ssh://kp-01.example.internal:2200');
    const file = Buffer.from(await db.save());
    expect(db.header.versionMajor).toBe(4);

    const folder = await createFolder(api);
    const wrong = await upload(admin, file, 'ops.kdbx', { folderId: folder.id, kdbxPassword: 'not-it' }).expect(422);
    expect(wrong.body.code).toBe('KDBX_PASSWORD_WRONG');
    const done = await runToEnd(admin, file, 'ops.kdbx', { folderId: folder.id, kdbxPassword });
    expect(done).toMatchObject({ state: 'succeeded', format: 'kdbx' });
    const [account] = await accountsIn(folder.id);
    expect([account!.target.name, account!.target.address, account!.target.port, account!.username]).toEqual([
      'kp-01.example.internal',
      'kp-01.example.internal',
      2200,
      'backup',
    ]);
    const group = await api.db.folder.findUniqueOrThrow({ where: { id: account!.target.folderId } });
    expect(group.name).toBe('Linux');
    expect(secretOf(account!.credentials[0]!.id, account!.credentials[0]!.versions[0]!)).toBe(secret);
  });
});

describe('imports refuse what they cannot read, clearly and without echoing it', () => {
  it('wrong type, bad encoding, missing column, no file, not multipart, too large', async () => {
    const password = strong();
    const typeMismatch = await upload(admin, csv([HEADER, `ssh,h,u,${password},,,`]), 'a.xlsx', { format: 'xlsx', dryRun: 'true' }).expect(415);
    expect(typeMismatch.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(typeMismatch.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const latin1 = Buffer.from(`${HEADER}\r\nssh,h,u,Pässwörd${password},,,\r\n`, 'latin1');
    expect((await upload(admin, latin1, 'a.csv').expect(422)).body.code).toBe('IMPORT_ENCODING');
    const missing = await upload(admin, csv(['Target,Account,Password', `h,u,${password}`]), 'a.csv').expect(422);
    expect(missing.body.code).toBe('IMPORT_COLUMN_MISSING');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['file.Target_type']);
    const broken = await upload(admin, csv([HEADER, `ssh,"h,u,${password},,,`]), 'a.csv').expect(422);
    expect(broken.body.code).toBe('IMPORT_UNREADABLE');
    const badXlsx = await upload(admin, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(password)]), 'a.xlsx').expect(422);
    expect(badXlsx.body.code).toBe('IMPORT_UNREADABLE');
    const json = await admin.agent.post('/api/v1/imports').set('X-CSRF-Token', admin.csrf).send({ file: password }).expect(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const noFile = await admin.agent.post('/api/v1/imports').set('X-CSRF-Token', admin.csrf).field('dryRun', 'true').expect(422);
    expect(noFile.body.errors[0].path).toBe('body.file');
    const huge = await upload(admin, Buffer.alloc(33 * 1024 * 1024, 0x61), 'big.csv').expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    for (const res of [typeMismatch, missing, broken, badXlsx, json]) expect(JSON.stringify(res.body)).not.toContain(password);
    expect(JSON.stringify(api.logLines)).not.toContain(password);
  });
});

describe('imports take no control characters or broken text from the form', () => {
  /** A multipart body written byte by byte, so its names and values carry what a browser would not send. */
  function rawForm(parts: { headers: string; body: Buffer }[]) {
    const boundary = `b${unique('x').replace(/[^a-z0-9]/gi, '')}`;
    const chunks = parts.flatMap((p) => [Buffer.from(`--${boundary}\r\n${p.headers}\r\n\r\n`, 'latin1'), p.body, Buffer.from('\r\n')]);
    return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]) };
  }
  const send = (form: { type: string; body: Buffer }) =>
    admin.agent.post('/api/v1/imports').set('X-CSRF-Token', admin.csrf).set('Content-Type', form.type).send(form.body);
  const file = () => csv([HEADER, `ssh,form-host,u1,${strong()},,,`]);

  it('refuses NUL and control characters in the mapping and the KeePass password, and fields it does not know, with a 422 naming the field', async () => {
    const folder = await createFolder(api);
    const cases: [Fields, string][] = [
      [{ mapping: '{"Target":"Target\u0000"}' }, 'body.mapping'],
      [{ mapping: '{"Target":"Host\nname"}' }, 'body.mapping'],
      [{ kdbxPassword: 'open\u0000sesame' }, 'body.kdbxPassword'],
      [{ kdbxPassword: 'open\u001bsesame' }, 'body.kdbxPassword'],
      [{ constructor: 'x' }, 'body'],
    ];
    for (const [fields, path] of cases) {
      const res = await upload(admin, file(), 'a.csv', { folderId: folder.id, ...fields }).expect(422);
      expect([res.headers['content-type'], res.body.code]).toEqual([expect.stringMatching(/application\/problem\+json/), 'VALIDATION_FAILED']);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(JSON.stringify(res.body)).not.toContain('sesame');
    }
    expect(await api.db.import.count({ where: { folderId: folder.id } })).toBe(0);
  });

  it('reads bytes that are not UTF-8 in a field as replacement characters, and keeps a file name to one line of text', async () => {
    const folder = await createFolder(api);
    const folderPart = { headers: 'Content-Disposition: form-data; name="folderId"', body: Buffer.from(folder.id) };
    const csvPart = (fileName: string) => ({
      headers: `Content-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv`,
      body: file(),
    });
    // {"<a lone surrogate, as UTF-8 would encode it>":"<a truncated sequence>"}: decoded, both are U+FFFD
    const mapping = Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]);
    const refused = await send(rawForm([folderPart, { headers: 'Content-Disposition: form-data; name="mapping"', body: mapping }, csvPart('a.csv')])).expect(
      422,
    );
    // Refused for what the mapping says (a column the import does not have), naming the column as read.
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.mapping', message: expect.stringContaining('\ufffd') }] });
    // A bell and an escape sequence in the file name: raw in the header, the body cannot be read;
    // percent-encoded (RFC 2231), they are kept out of what is stored and shown.
    const raw = await send(rawForm([folderPart, csvPart('list\u0007\u001b[31m.csv')])).expect(400);
    expect([raw.headers['content-type'], raw.body.code]).toEqual([expect.stringMatching(/application\/problem\+json/), 'BAD_REQUEST']);
    const encoded = rawForm([
      folderPart,
      { headers: 'Content-Disposition: form-data; name="file"; filename*=utf-8\'\'list%07%1B%5B31m.csv\r\nContent-Type: text/csv', body: file() },
    ]);
    const dry = await send(encoded).expect(201);
    expect(dry.body.fileName).toBe('list[31m.csv');
  });
});

describe('imports and rights', () => {
  it('a narrow user imports only where they manage; a hidden folder is 404; a DENY below skips those rows', async () => {
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const narrow = await loginWith(api, user);
    const mine = await createFolder(api);
    const hidden = await createFolder(api);
    const denied = await createFolder(api, { parentId: mine.id, name: 'locked' });
    for (const action of ['view', 'manage'] as const)
      await createGrant(api, { object: { type: 'folder', id: mine.id }, principal: { type: 'user', id: user.id }, action });
    await createGrant(api, { object: { type: 'folder', id: denied.id }, principal: { type: 'user', id: user.id }, action: 'manage', effect: 'DENY' });
    const file = csv([HEADER, `ssh,n-01,app,${strong()},,,`, `ssh,n-02,app,${strong()},locked,,`, `ssh,n-03,app,${strong()},locked/deeper,,`]);

    expect((await upload(narrow, file, 'a.csv', { folderId: hidden.id }).expect(404)).body.code).toBe('NOT_FOUND');
    const done = await runToEnd(narrow, file, 'a.csv', { folderId: mine.id });
    expect(done.rows.items.map((r: { outcome: string; reason: string | null }) => [r.outcome, r.reason])).toEqual([
      ['create', null],
      ['skip', 'NO_PERMISSION'],
      ['skip', 'NO_PERMISSION'],
    ]);
    expect((await accountsIn(mine.id)).map((a) => a.target.name)).toEqual(['n-01']);
    // Nothing was made below the folder they may not manage.
    expect(await api.db.folder.count({ where: { parentId: denied.id } })).toBe(0);
    // Without update on the account, a different password is not written.
    await createGrant(api, { object: { type: 'folder', id: mine.id }, principal: { type: 'user', id: user.id }, action: 'update', effect: 'DENY' });
    const changed = await runToEnd(narrow, csv([HEADER, `ssh,n-01,app,${strong()},,,`]), 'b.csv', { folderId: mine.id });
    expect(changed.rows.items[0]).toMatchObject({ outcome: 'skip', reason: 'NO_PERMISSION' });
    // Another user's import does not exist for them.
    await admin.agent.get(`/api/v1/imports/${done.id}`).expect(200);
    const other = await loginAs(api, 'operator');
    await other.agent.get(`/api/v1/imports/${done.id}`).expect(404);
    await other.agent.get(`/api/v1/imports/${done.id}/errors`).expect(404);
    // An auditor's role has no targets.manage.
    const auditor = await loginAs(api, 'auditor');
    await upload(auditor, file, 'a.csv', { folderId: mine.id }).expect(403);
  });

  it('two imports of the same file racing create everything once', async () => {
    const folder = await createFolder(api);
    const lines = [HEADER];
    for (let i = 0; i < 40; i += 1) lines.push(`ssh,race-${i % 7},user${i},${strong()},g${i % 3},,`);
    const file = csv(lines);
    const [a, b] = await Promise.all([
      upload(admin, file, 'r.csv', { folderId: folder.id, dryRun: 'false' }).expect(202),
      upload(admin, file, 'r.csv', { folderId: folder.id, dryRun: 'false' }).expect(202),
    ]);
    const results = await Promise.all([a, b].map((r) => waitForImport(admin, r.body.id)));
    expect(results.map((r) => r.state)).toEqual(['succeeded', 'succeeded']);
    expect(results[0]!.counts.create + results[1]!.counts.create).toBe(40);
    expect(results[0]!.counts.unchanged + results[1]!.counts.unchanged).toBe(40);
    const accounts = await accountsIn(folder.id);
    expect(accounts).toHaveLength(40);
    expect(accounts.every((x) => x.credentials.length === 1 && x.credentials[0]!.versions.length === 1)).toBe(true);
    expect(await api.db.target.count({ where: { folder: { parentId: folder.id } } })).toBe(21);
  });
});
