import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CREDENTIAL_SECRET_PURPOSE } from '@passman/vault';
import { leakedSecrets, privateParts } from '@passman/testkit';
import { createAccount } from '../../test/factories.js';
import { createTestApi, loginAs, testVault, type LoggedIn, type TestApi } from '../../test/harness.js';

let api: TestApi;
let operator: LoggedIn;
/** Every response body of this file, searched for secrets at the end. */
const responses: string[] = [];
/** Every secret this file typed (the generated ones are read back from the vault). */
const typedSecrets: string[] = [];

beforeAll(async () => {
  api = await createTestApi();
  operator = await loginAs(api, 'operator');
});
afterAll(async () => {
  await api.close();
});

async function addCredential(accountId: string, body: Record<string, unknown>, status = 201) {
  for (const key of ['value', 'privateKey', 'passphrase']) if (typeof body[key] === 'string') typedSecrets.push(body[key]);
  const res = await operator.agent.post(`/api/v1/accounts/${accountId}/credentials`).set('X-CSRF-Token', operator.csrf).send(body);
  responses.push(res.text);
  expect(res.status).toBe(status);
  return res.body;
}

function sshKeygen(type: string, passphrase = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'pm-key-'));
  try {
    // -N passes the passphrase in argv: acceptable for a throwaway test key, never for real secrets.
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-f', join(dir, 'k'), '-C', ''], { stdio: 'ignore' });
    return readFileSync(join(dir, 'k'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('adding credentials', () => {
  it('stores a typed password encrypted, as version 1 CURRENT, and records compliance', async () => {
    const account = await createAccount(api);
    const weak = await addCredential(account.id, { type: 'PASSWORD', value: 'short1' });
    expect(weak).toMatchObject({ type: 'PASSWORD', sshKeyType: null, current: { version: 1, state: 'CURRENT', origin: 'TYPED', compliant: false } });
    expect(weak.current.createdBy).toEqual({ id: operator.user.id, username: operator.user.username });
    const row = await api.db.credentialVersion.findFirstOrThrow({ where: { credentialId: weak.id } });
    expect(Buffer.from(row.ciphertext).toString('utf8')).not.toContain('short1');
    const decrypted = api.services.vault.decrypt(row, { credentialId: weak.id, version: 1, purpose: CREDENTIAL_SECRET_PURPOSE });
    expect(decrypted.toString('utf8')).toBe('short1');
    expect((await api.db.account.findUniqueOrThrow({ where: { id: account.id } })).compliance).toBe('Noncompliant');
  });

  it('generates a password and a PIN from the policy: Compliant', async () => {
    const account = await createAccount(api);
    const password = await addCredential(account.id, { type: 'PASSWORD', generate: true });
    const pin = await addCredential(account.id, { type: 'PIN', generate: true });
    expect([password.current.origin, pin.current.origin]).toEqual(['GENERATED', 'GENERATED']);
    const pinRow = await api.db.credentialVersion.findFirstOrThrow({ where: { credentialId: pin.id } });
    expect(api.services.vault.decrypt(pinRow, { credentialId: pin.id, version: 1, purpose: CREDENTIAL_SECRET_PURPOSE }).toString()).toMatch(/^\d{6}$/);
    expect((await api.db.account.findUniqueOrThrow({ where: { id: account.id } })).compliance).toBe('Compliant');
  });

  it('holds one SSH key of each of the four types, generated, with public key and fingerprint', async () => {
    const account = await createAccount(api);
    for (const sshKeyType of ['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-dss', 'ssh-ed25519']) {
      const key = await addCredential(account.id, { type: 'SSH_KEY', generate: true, sshKeyType });
      expect(key).toMatchObject({ type: 'SSH_KEY', sshKeyType, weak: sshKeyType === 'ssh-dss' });
      expect(key.current.publicKey).toMatch(new RegExp(`^${sshKeyType} AAAA`));
      expect(key.current.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    }
    const list = await operator.agent.get(`/api/v1/accounts/${account.id}/credentials`).expect(200);
    responses.push(list.text);
    expect(list.body.items.map((c: { sshKeyType: string }) => c.sshKeyType).sort()).toEqual(['ecdsa-sha2-nistp256', 'ssh-dss', 'ssh-ed25519', 'ssh-rsa']);
    expect(list.body.items.find((c: { sshKeyType: string }) => c.sshKeyType === 'ssh-rsa').current.keyBits).toBe(3072);
  });

  it('imports private keys in OpenSSH, PKCS#1, PKCS#8 and passphrase-protected forms', async () => {
    const account = await createAccount(api);
    const ed = await addCredential(account.id, { type: 'SSH_KEY', privateKey: sshKeygen('ed25519') });
    expect(ed).toMatchObject({ sshKeyType: 'ssh-ed25519', current: { origin: 'IMPORTED' } });
    const encrypted = await addCredential(account.id, { type: 'SSH_KEY', privateKey: sshKeygen('ecdsa', 'open sesame'), passphrase: 'open sesame' });
    expect(encrypted.sshKeyType).toBe('ecdsa-sha2-nistp256');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = await addCredential(account.id, { type: 'SSH_KEY', privateKey: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) });
    expect(pkcs1).toMatchObject({ sshKeyType: 'ssh-rsa', current: { keyBits: 2048 } });
    const other = await createAccount(api);
    const pkcs8 = await addCredential(other.id, {
      type: 'SSH_KEY',
      privateKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pkcs8 pass' }),
      passphrase: 'pkcs8 pass',
    });
    expect(pkcs8.current.fingerprint).toBe(pkcs1.current.fingerprint);
  });

  it('says why a key cannot be imported, without echoing it', async () => {
    const account = await createAccount(api);
    const cases: [Record<string, unknown>, string][] = [
      [{ privateKey: 'not a key at all' }, 'KEY_PARSE_FAILED'],
      [{ privateKey: sshKeygen('ed25519', 'secret phrase') }, 'KEY_PASSPHRASE_REQUIRED'],
      [{ privateKey: sshKeygen('ed25519', 'secret phrase'), passphrase: 'wrong phrase' }, 'KEY_PASSPHRASE_WRONG'],
    ];
    for (const [body, code] of cases) {
      const res = await addCredential(account.id, { type: 'SSH_KEY', ...body }, 422);
      expect(res.errors).toEqual([expect.objectContaining({ path: 'body.privateKey', code })]);
    }
    const mismatch = await addCredential(account.id, { type: 'SSH_KEY', sshKeyType: 'ssh-rsa', privateKey: sshKeygen('ed25519') }, 422);
    expect(mismatch.errors[0].path).toBe('body.sshKeyType');
  });

  it('rejects bad bodies listing every issue, secrets with newline/CR/NUL included', async () => {
    const account = await createAccount(api);
    const res = await addCredential(account.id, { type: 'PASSWORD', value: 'line1\nline2', generate: true, passphrase: 'x' }, 422);
    expect(res.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.generate', 'body.passphrase', 'body.passphrase', 'body.value']);
    for (const value of ['a\rb-long-enough', 'nul\0inside-here']) await addCredential(account.id, { type: 'PASSWORD', value }, 422);
    await addCredential(account.id, { type: 'PIN', value: '12ab' }, 422);
    expect(await api.db.credential.count({ where: { accountId: account.id } })).toBe(0);
  });

  it('409 when the slot is taken, 404 for an unknown account or credential', async () => {
    const account = await createAccount(api);
    await addCredential(account.id, { type: 'PASSWORD', generate: true });
    expect((await addCredential(account.id, { type: 'PASSWORD', generate: true }, 409)).code).toBe('ALREADY_EXISTS');
    await addCredential('01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c', { type: 'PASSWORD', generate: true }, 404);
    await operator.agent.get('/api/v1/credentials/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c/versions').expect(404);
    await operator.agent.get('/api/v1/accounts/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c/credentials').expect(404);
  });

  it('an InSync account loses InSync when a credential is added (it is not proven yet)', async () => {
    const account = await createAccount(api, undefined, { status: 'InSync' });
    await addCredential(account.id, { type: 'PIN', generate: true });
    expect(await api.db.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ status: 'Unknown', statusReason: 'NOT_CHECKED' });
  });

  it('shows version history and audits the creation without the secret', async () => {
    const account = await createAccount(api);
    const created = await addCredential(account.id, { type: 'PASSWORD', value: 'Typed-Secret-Value-123!' });
    const versions = await operator.agent.get(`/api/v1/credentials/${created.id}/versions`).expect(200);
    responses.push(versions.text);
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 1, state: 'CURRENT', origin: 'TYPED' })]);
    const [event] = await api.db.auditEvent.findMany({ where: { objectId: created.id } });
    expect(event).toMatchObject({ action: 'credential.create', actorId: operator.user.id });
    expect(JSON.stringify(event!.details)).not.toContain('Typed-Secret-Value-123!');
  });

  it('auditors see metadata but cannot add credentials', async () => {
    const auditor = await loginAs(api, 'auditor');
    const account = await createAccount(api);
    await auditor.agent.get(`/api/v1/accounts/${account.id}/credentials`).expect(200);
    await auditor.agent.post(`/api/v1/accounts/${account.id}/credentials`).set('X-CSRF-Token', auditor.csrf).send({ type: 'PIN', generate: true }).expect(403);
  });

  it('answers 503 SEALED when the vault has no usable master key, writing nothing', async () => {
    const sealed = await createTestApi({ vault: testVault({ sealed: true }) });
    try {
      const user = await loginAs(sealed, 'operator');
      const account = await createAccount(sealed);
      const res = await user.agent
        .post(`/api/v1/accounts/${account.id}/credentials`)
        .set('X-CSRF-Token', user.csrf)
        .send({ type: 'PASSWORD', generate: true })
        .expect(503);
      expect(res.body.code).toBe('SEALED');
      expect(await sealed.db.credential.count({ where: { accountId: account.id } })).toBe(0);
    } finally {
      await sealed.close();
    }
  });
});

describe('no secret leaks', () => {
  it('no secret this file typed or generated appears in any log line or API response', async () => {
    const versions = await api.db.credentialVersion.findMany({ where: { createdById: operator.user.id } });
    const generated = versions.map((v) =>
      api.services.vault.decrypt(v, { credentialId: v.credentialId, version: v.version, purpose: CREDENTIAL_SECRET_PURPOSE }).toString('utf8'),
    );
    expect(generated.length).toBeGreaterThan(10);
    const secrets = [...generated, ...typedSecrets].flatMap((s) => [s, ...privateParts(s)]);
    const haystack = [...api.logLines, ...responses].join('\n');
    expect(secrets.length).toBeGreaterThan(generated.length + typedSecrets.length);
    const leaked = leakedSecrets(secrets, haystack, 4);
    expect(leaked).toEqual([]);
  });
});
