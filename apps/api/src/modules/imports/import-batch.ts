import { randomUUID } from 'node:crypto';
import type { ImportOutcome, ImportReason, Policy, VaultAction } from '@passman/contracts';
import { CREDENTIAL_SECRET_PURPOSE, type Vault } from '@passman/vault';
import type { Tx } from '../../db/transaction.js';
import { AppError } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AccessService } from '../access/index.js';
import type { AuditRecord, AuditService } from '../audit/index.js';
import { openedSecret, secretCompliance } from '../credentials/index.js';
import type { PoliciesService } from '../policies/index.js';
import type { ImportQueries, NewVersion, StoredPassword } from './imports.repo.js';
import type { CheckedRow } from './row-checks.js';

/** What a row does or did. */
export interface RowDecision {
  outcome: ImportOutcome;
  reason: ImportReason | null;
  message: string | null;
}

/** What one import remembers between its batches: folders found, rights read, policies read. */
export interface RunMemory {
  /** Group path (joined with /) → folder id; only folders known to exist (found, or created and committed). */
  folders: Map<string, string>;
  /** Group paths whose folder the caller may not manage. */
  deniedFolders: Set<string>;
  rights: Map<string, Promise<VaultAction[]>>;
  policies: Map<string, Promise<Policy>>;
}

export interface BatchDeps {
  vault: Vault;
  policies: PoliciesService;
  access: AccessService;
  audit: AuditService;
}

export interface BatchInput {
  ctx: RequestContext;
  importId: string;
  destinationId: string;
  rows: CheckedRow[];
  memory: RunMemory;
  /** false: a dry run, nothing is written. */
  write: boolean;
  tx?: Tx;
}

export const newRunMemory = (): RunMemory => ({ folders: new Map(), deniedFolders: new Set(), rights: new Map(), policies: new Map() });

const noPermission = (message: string): RowDecision => ({ outcome: 'skip', reason: 'NO_PERMISSION', message });

/**
 * Decides what each checked row does, and (write) does it: folders of its Group_path, its target,
 * its account and its password, with an audit event per object created or changed (never the
 * value). Run inside one transaction by the caller, so a batch lands whole or not at all; a batch
 * that fails is run again row by row, which makes each row all or nothing.
 */
export async function runBatch(
  deps: BatchDeps,
  queries: ImportQueries,
  input: BatchInput,
): Promise<{ decisions: RowDecision[]; newFolders: Map<string, string> }> {
  const { ctx, importId, rows, memory, write } = input;
  const access = input.tx ? deps.access.within(input.tx) : deps.access;
  const events: AuditRecord[] = [];
  const newFolders = new Map<string, string>();
  const decisions: (RowDecision | null)[] = rows.map(() => null);

  /** The caller's rights on an object, or none when the tree hides it. Admins and auditors need no query. */
  const rightsOn = (type: 'folder' | 'target' | 'account', id: string): Promise<VaultAction[]> => {
    const scope = access.scopeOf(ctx.actor);
    if (scope.kind === 'all') return Promise.resolve(access.withinRole(ctx.actor, type, scope.rights));
    const key = `${type}:${id}`;
    let known = memory.rights.get(key);
    if (!known) {
      known = access.rightsOn(ctx.actor, { type, id }).then(
        (r) => r.rights,
        (error: unknown) => {
          if (error instanceof AppError && error.code === 'NOT_FOUND') return [];
          throw error;
        },
      );
      memory.rights.set(key, known);
    }
    return known;
  };
  const policyOf = (policyId: string | null): Promise<Policy> => {
    const key = policyId ?? '';
    let known = memory.policies.get(key);
    if (!known) {
      known = deps.policies.effective(policyId);
      memory.policies.set(key, known);
    }
    return known;
  };

  // 1. Folders: each Group_path below the destination; missing ones are created (write) or will be.
  const folderOf = new Map<string, string | null>(); // joined path → id, null: does not exist yet
  const folderAllowed = new Map<string, boolean>();
  for (const row of rows) {
    let parentId: string | null = input.destinationId;
    let path = '';
    let blocked = false;
    for (const name of row.groupPath) {
      path = path ? `${path}/${name}` : name;
      if (memory.deniedFolders.has(path)) folderAllowed.set(path, false);
      blocked ||= folderAllowed.get(path) === false;
      if (folderOf.has(path)) {
        parentId = folderOf.get(path)!;
        continue;
      }
      let id: string | null = memory.folders.get(path) ?? newFolders.get(path) ?? null;
      if (id === null && parentId !== null) {
        id = await queries.childFolder(parentId, name);
        if (id !== null) {
          // An existing folder may carry a DENY of its own: the import needs manage there too.
          const allowed = (await rightsOn('folder', id)).includes('manage');
          memory.folders.set(path, id);
          if (!allowed) memory.deniedFolders.add(path);
          folderAllowed.set(path, allowed);
          blocked ||= !allowed;
        } else if (write && !blocked) {
          id = await queries.createFolder(parentId, name);
          newFolders.set(path, id);
          events.push({ action: 'folder.create', objectType: 'folder', objectId: id, details: { name, parentId, importId } });
        }
      }
      folderOf.set(path, id);
      parentId = id;
    }
  }
  const pathAllowed = (row: CheckedRow) => {
    let path = '';
    for (const name of row.groupPath) {
      path = path ? `${path}/${name}` : name;
      if (folderAllowed.get(path) === false) return false;
    }
    return true;
  };
  const folderIdOf = (row: CheckedRow) => (row.groupPath.length === 0 ? input.destinationId : (folderOf.get(row.groupPath.join('/')) ?? null));

  // 2. Targets, accounts and passwords that already exist.
  const withFolder = rows.filter((r) => folderIdOf(r) !== null);
  const targets = await queries.targetsNamed(
    withFolder.map((r) => folderIdOf(r)!),
    withFolder.map((r) => r.target),
  );
  const targetKey = (folderId: string, name: string) => `${folderId}\u0000${name}`;
  const targetIds = new Map(targets.map((t) => [targetKey(t.folderId, t.name), t.id]));
  const targetIdOf = (row: CheckedRow) => {
    const folderId = folderIdOf(row);
    return folderId === null ? null : (targetIds.get(targetKey(folderId, row.target)) ?? null);
  };
  const withTarget = rows.filter((r) => r.account !== '' && targetIdOf(r) !== null);
  const accounts = await queries.accountsNamed(
    withTarget.map((r) => targetIdOf(r)!),
    withTarget.map((r) => r.account),
  );
  const accountKey = (targetId: string, username: string) => `${targetId}\u0000${username}`;
  const accountsByKey = new Map(accounts.map((a) => [accountKey(a.targetId, a.username), a]));
  const accountOf = (row: CheckedRow) => {
    const targetId = targetIdOf(row);
    return targetId === null ? undefined : accountsByKey.get(accountKey(targetId, row.account));
  };
  // Written rows' accounts are locked before their passwords are read (lock order: db/transaction.ts), so a reset cannot start in between.
  if (write && accounts.length > 0) await queries.lockAccounts(accounts.map((a) => a.id));
  const passwords = accounts.length > 0 ? await queries.passwordsOf(accounts.map((a) => a.id)) : [];
  const passwordOf = new Map<string, StoredPassword>(passwords.map((p) => [p.accountId, p]));

  // 3. Decide each row.
  const compliance = new Map<number, boolean>();
  for (const [i, row] of rows.entries()) {
    if (!pathAllowed(row)) {
      decisions[i] = noPermission('You may not manage a folder of its Group_path');
      continue;
    }
    const targetId = targetIdOf(row);
    if (targetId !== null && !(await rightsOn('target', targetId)).includes('manage')) {
      const account = accountOf(row);
      const sees = account ? (await rightsOn('account', account.id)).includes('view') : false;
      // Unchanged rows need no right; others need manage on the target (a new account) or update on the account.
      if (!account || !sees) {
        decisions[i] = noPermission('You may not manage this target');
        continue;
      }
    }
    const account = accountOf(row);
    let outcome: ImportOutcome = 'create';
    if (account && row.password === null) outcome = 'unchanged';
    else if (account && row.password !== null) {
      const stored = passwordOf.get(account.id);
      if (stored?.busy) {
        decisions[i] = { outcome: 'skip', reason: 'ACCOUNT_BUSY', message: 'A reset of this account is under way: import the row again once it is done' };
        continue;
      }
      if (stored?.versionId && stored.ciphertext && stored.wrappedKey && stored.keyVersion !== null) {
        const current = openedSecret(deps.vault, {
          credentialId: stored.credentialId,
          version: stored.version,
          ciphertext: stored.ciphertext,
          wrappedKey: stored.wrappedKey,
          keyVersion: stored.keyVersion,
        });
        outcome = current === row.password ? 'unchanged' : 'update';
      } else outcome = 'update';
      if (outcome === 'update' && !(await rightsOn('account', account.id)).includes('update')) {
        decisions[i] = noPermission('You may not update the credentials of this account');
        continue;
      }
    } else if (!account && row.account === '' && targetId !== null) outcome = 'unchanged';
    let reason: ImportReason | null = null;
    let message: string | null = null;
    if (row.password !== null && outcome !== 'unchanged') {
      const ok = secretCompliance('PASSWORD', row.password, await policyOf(account?.policyId ?? null));
      compliance.set(i, ok);
      if (!ok) {
        reason = 'PASSWORD_NONCOMPLIANT';
        message = 'The password does not meet the account’s policy: it is imported and the account shows Noncompliant';
      }
    }
    decisions[i] = { outcome, reason, message };
  }

  if (write)
    await writeRows(deps, queries, { ...input, decisions: decisions as RowDecision[], events, compliance, folderIdOf, targetIdOf, accountOf, passwordOf });
  if (events.length > 0)
    await deps.audit.recordMany(
      events.map((event) => ({ ctx, event })),
      input.tx,
    );
  return { decisions: decisions as RowDecision[], newFolders };
}

interface WriteInput extends BatchInput {
  decisions: RowDecision[];
  events: AuditRecord[];
  compliance: Map<number, boolean>;
  folderIdOf: (row: CheckedRow) => string | null;
  targetIdOf: (row: CheckedRow) => string | null;
  accountOf: (row: CheckedRow) => { id: string } | undefined;
  passwordOf: Map<string, StoredPassword>;
}

/** Writes the rows decided create or update: targets, then accounts, then passwords (lock order: db/transaction.ts). */
async function writeRows(deps: BatchDeps, queries: ImportQueries, w: WriteInput): Promise<void> {
  const { rows, decisions, events, importId } = w;
  const acting = rows.map((row, i) => ({ row, i })).filter(({ i }) => decisions[i]!.outcome === 'create' || decisions[i]!.outcome === 'update');
  if (acting.length === 0) return;

  const newTargets = new Map<string, { folderId: string; name: string; address: string; port: number }>();
  for (const { row } of acting) {
    const folderId = w.folderIdOf(row)!;
    if (w.targetIdOf(row) === null) newTargets.set(`${folderId}\u0000${row.target}`, { folderId, name: row.target, address: row.address, port: row.port });
  }
  const createdTargets = newTargets.size > 0 ? await queries.insertTargets([...newTargets.values()]) : [];
  const createdTargetIds = new Map(createdTargets.map((t) => [`${t.folderId}\u0000${t.name}`, t.id]));
  for (const t of createdTargets) {
    const spec = newTargets.get(`${t.folderId}\u0000${t.name}`)!;
    events.push({
      action: 'target.create',
      objectType: 'target',
      objectId: t.id,
      details: { name: t.name, address: spec.address, port: spec.port, connectorKind: 'ssh', tags: [], folderId: t.folderId, importId },
    });
  }
  const targetIdOf = (row: CheckedRow) => w.targetIdOf(row) ?? createdTargetIds.get(`${w.folderIdOf(row)}\u0000${row.target}`)!;

  // A new account's compliance is that of its one secret, the imported password: written with the row, not updated after.
  const newAccounts = new Map<string, { targetId: string; username: string; description: string; compliant: boolean | null }>();
  for (const { row, i } of acting) {
    if (row.account !== '' && !w.accountOf(row)) {
      const targetId = targetIdOf(row);
      newAccounts.set(`${targetId}\u0000${row.account}`, {
        targetId,
        username: row.account,
        description: row.description,
        compliant: w.compliance.get(i) ?? null,
      });
    }
  }
  const createdAccounts = newAccounts.size > 0 ? await queries.insertAccounts([...newAccounts.values()]) : [];
  const createdAccountIds = new Map(createdAccounts.map((a) => [`${a.targetId}\u0000${a.username}`, a.id]));
  for (const a of createdAccounts) {
    events.push({
      action: 'account.create',
      objectType: 'account',
      objectId: a.id,
      details: { username: a.username, targetId: a.targetId, policyId: null, importId },
    });
  }
  const accountIdOf = (row: CheckedRow) => w.accountOf(row)?.id ?? createdAccountIds.get(`${targetIdOf(row)}\u0000${row.account}`)!;

  const withPassword = acting.filter(({ row }) => row.password !== null && row.account !== '');
  if (withPassword.length === 0) return;
  const changed = withPassword.filter(({ row }) => w.accountOf(row) !== undefined).map(({ row }) => accountIdOf(row));
  const credentials: { id: string; accountId: string }[] = [];
  const versions: NewVersion[] = [];
  const retired: string[] = [];
  const createdById = w.ctx.actor?.userId ?? null;
  for (const { row, i } of withPassword) {
    const accountId = accountIdOf(row);
    const stored = w.passwordOf.get(accountId);
    const credentialId = stored?.credentialId ?? randomUUID();
    const version = (stored?.version ?? 0) + 1;
    if (!stored) credentials.push({ id: credentialId, accountId });
    if (stored?.versionId) retired.push(stored.versionId);
    const sealed = deps.vault.encrypt(row.password!, { credentialId, version, purpose: CREDENTIAL_SECRET_PURPOSE });
    versions.push({
      credentialId,
      version,
      ciphertext: Buffer.from(sealed.ciphertext),
      wrappedKey: Buffer.from(sealed.wrappedKey),
      keyVersion: sealed.keyVersion,
      compliant: w.compliance.get(i) ?? null,
      createdById,
    });
    events.push({
      action: stored ? 'credential.update' : 'credential.create',
      objectType: 'credential',
      objectId: credentialId,
      details: { accountId, type: 'PASSWORD', slot: 'password', origin: 'IMPORTED', version, compliant: w.compliance.get(i) ?? null, importId },
    });
  }
  if (credentials.length > 0) await queries.insertCredentials(credentials);
  if (retired.length > 0) await queries.retireVersions(retired);
  await queries.insertVersions(versions);
  if (changed.length > 0) await queries.afterPasswordChange(changed);
}
