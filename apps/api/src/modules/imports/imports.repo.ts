import type { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

export interface ImportCountsDelta {
  processed: number;
  create: number;
  update: number;
  unchanged: number;
  skip: number;
  failed: number;
}

export interface RowResult {
  row: number;
  targetType: string;
  target: string;
  account: string;
  groupPath: string;
  outcome: string;
  reason: string | null;
  message: string | null;
}

export interface StoredPassword {
  credentialId: string;
  accountId: string;
  versionId: string | null;
  version: number;
  ciphertext: Uint8Array | null;
  wrappedKey: Uint8Array | null;
  keyVersion: number | null;
}

function importsRepo(db: DbClient) {
  return {
    create: (data: Prisma.ImportUncheckedCreateInput) => db.import.create({ data }),
    get: (id: string) => db.import.findUnique({ where: { id } }),
    rowsPage: (importId: string, options: { outcome?: string; afterRow?: number; limit: number }) =>
      db.importRow.findMany({
        where: {
          importId,
          ...(options.outcome ? { outcome: options.outcome } : {}),
          ...(options.afterRow !== undefined ? { row: { gt: options.afterRow } } : {}),
        },
        orderBy: { row: 'asc' },
        take: options.limit,
      }),
    /** The skipped and failed rows after `afterRow`, for the error report (read a page at a time). */
    problemRows: (importId: string, afterRow: number, limit: number) =>
      db.importRow.findMany({ where: { importId, outcome: { in: ['skip', 'failed'] }, row: { gt: afterRow } }, orderBy: { row: 'asc' }, take: limit }),
    saveRows: (importId: string, rows: RowResult[]) => db.importRow.createMany({ data: rows.map((r) => ({ importId, ...r })), skipDuplicates: true }),
    addCounts: (id: string, d: ImportCountsDelta, total?: number) =>
      db.import.update({
        where: { id },
        data: {
          processed: { increment: d.processed },
          createdCount: { increment: d.create },
          updatedCount: { increment: d.update },
          unchangedCount: { increment: d.unchanged },
          skippedCount: { increment: d.skip },
          failedCount: { increment: d.failed },
          ...(total !== undefined ? { total } : {}),
        },
      }),
    finish: (id: string, state: 'succeeded' | 'failed' | 'dry-run', errorCode: string | null, total: number) =>
      db.import.update({ where: { id }, data: { state, errorCode, total, finishedAt: new Date() } }),

    rootFolderId: async () => (await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM folders WHERE parent_id IS NULL`)[0]!.id,

    /**
     * Two imports into one folder take turns batch by batch, so the second sees what the first
     * wrote and creates nothing twice. Taken first in the transaction (lock order: db/transaction.ts).
     */
    lockDestination: (folderId: string) => db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`passman.import:${folderId}`}))`,

    childFolder: async (parentId: string, name: string) =>
      (await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM folders WHERE parent_id = ${parentId}::uuid AND name = ${name}`)[0]?.id ?? null,
    createFolder: async (parentId: string, name: string) =>
      (
        await db.$queryRaw<
          { id: string }[]
        >`INSERT INTO folders (id, parent_id, name, updated_at) VALUES (gen_random_uuid(), ${parentId}::uuid, ${name}, now()) RETURNING id::text AS id`
      )[0]!.id,

    targetsNamed: (folderIds: string[], names: string[]) =>
      db.$queryRaw<{ id: string; folderId: string; name: string }[]>`
        SELECT t.id::text AS id, t.folder_id::text AS "folderId", t.name
          FROM targets t JOIN unnest(${folderIds}::uuid[], ${names}::text[]) AS w(folder_id, name) ON t.folder_id = w.folder_id AND t.name = w.name`,
    insertTargets: (rows: { folderId: string; name: string; address: string; port: number }[]) =>
      db.$queryRaw<{ id: string; folderId: string; name: string }[]>`
        INSERT INTO targets (id, folder_id, name, address, port, connector_kind, description, tags, updated_at)
        SELECT gen_random_uuid(), w.folder_id, w.name, w.address, w.port, 'ssh', '', '{}', now()
          FROM unnest(${rows.map((r) => r.folderId)}::uuid[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.address)}::text[], ${rows.map((r) => r.port)}::int[])
            AS w(folder_id, name, address, port)
        RETURNING id::text AS id, folder_id::text AS "folderId", name`,

    accountsNamed: (targetIds: string[], usernames: string[]) =>
      db.$queryRaw<{ id: string; targetId: string; username: string; policyId: string | null }[]>`
        SELECT a.id::text AS id, a.target_id::text AS "targetId", a.username, a.policy_id::text AS "policyId"
          FROM accounts a JOIN unnest(${targetIds}::uuid[], ${usernames}::text[]) AS w(target_id, username) ON a.target_id = w.target_id AND a.username = w.username`,
    insertAccounts: (rows: { targetId: string; username: string; description: string }[]) =>
      db.$queryRaw<{ id: string; targetId: string; username: string }[]>`
        INSERT INTO accounts (id, target_id, username, description, updated_at)
        SELECT gen_random_uuid(), w.target_id, w.username, w.description, now()
          FROM unnest(${rows.map((r) => r.targetId)}::uuid[], ${rows.map((r) => r.username)}::text[], ${rows.map((r) => r.description)}::text[])
            AS w(target_id, username, description)
        RETURNING id::text AS id, target_id::text AS "targetId", username`,
    /** Locks accounts whose password changes, in id order (lock order: db/transaction.ts). */
    lockAccounts: (ids: string[]) => db.$executeRaw`SELECT 1 FROM accounts WHERE id = ANY(${[...ids].sort()}::uuid[]) ORDER BY id FOR UPDATE`,

    passwordsOf: (accountIds: string[]) =>
      db.$queryRaw<StoredPassword[]>`
        SELECT c.id::text AS "credentialId", c.account_id::text AS "accountId", v.id::text AS "versionId",
               COALESCE((SELECT max(x.version) FROM credential_versions x WHERE x.credential_id = c.id), 0) AS version,
               v.ciphertext, v.wrapped_key AS "wrappedKey", v.key_version AS "keyVersion"
          FROM credentials c
          LEFT JOIN credential_versions v ON v.credential_id = c.id AND v.state = 'CURRENT'
         WHERE c.account_id = ANY(${accountIds}::uuid[]) AND c.slot = 'password'`,
    insertCredentials: (rows: Prisma.CredentialCreateManyInput[]) => db.credential.createMany({ data: rows }),
    insertVersions: (rows: Prisma.CredentialVersionCreateManyInput[]) => db.credentialVersion.createMany({ data: rows }),
    retireVersions: (ids: string[]) =>
      db.$executeRaw`UPDATE credential_versions SET state = 'RETIRED', state_changed_at = now() WHERE id = ANY(${ids}::uuid[]) AND state = 'CURRENT'`,
    /** A new unverified password: the account is no longer proven InSync, and its compliance is that of its current secrets. */
    afterPasswordChange: async (accountIds: string[], changed: string[]) => {
      if (changed.length > 0) {
        await db.$executeRaw`UPDATE accounts SET status = 'Unknown', status_reason = 'NOT_CHECKED' WHERE id = ANY(${changed}::uuid[]) AND status = 'InSync'`;
      }
      await db.$executeRaw`
        UPDATE accounts a SET compliance = (
          SELECT CASE WHEN count(v.compliant) = 0 THEN NULL WHEN bool_and(v.compliant) THEN 'Compliant' ELSE 'Noncompliant' END::policy_compliance
            FROM credential_versions v JOIN credentials c ON c.id = v.credential_id
           WHERE c.account_id = a.id AND v.state = 'CURRENT')
         WHERE a.id = ANY(${accountIds}::uuid[])`;
    },
  };
}

export const createImportsRepo = (db: DbClient) => transactional(db, importsRepo);
export type ImportsRepo = ReturnType<typeof createImportsRepo>;
export type ImportQueries = ReturnType<typeof importsRepo>;
export type ImportRecord = NonNullable<Awaited<ReturnType<ImportsRepo['get']>>>;
