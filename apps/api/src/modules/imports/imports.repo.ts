import type { Prisma } from '@passman/db';
import type { EncryptedRecord } from '@passman/vault';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import type { ImportJobParams } from './import-job-params.js';

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

/** A CURRENT version an import writes (every row of one batch has the same creator). */
export interface NewVersion {
  credentialId: string;
  version: number;
  ciphertext: Buffer;
  wrappedKey: Buffer;
  keyVersion: number;
  compliant: boolean | null;
  createdById: string | null;
}

export interface StoredPassword {
  credentialId: string;
  accountId: string;
  versionId: string | null;
  version: number;
  ciphertext: Uint8Array | null;
  wrappedKey: Uint8Array | null;
  keyVersion: number | null;
  /** A reset is under way (a PENDING version, or a job holds the account): the import leaves it alone. */
  busy: boolean;
}

function importsRepo(db: DbClient) {
  /** Ends an IMPORT job, only while `workerId` holds it; says whether it did. */
  const endJob = async (p: { jobId: string; workerId: string; state: 'succeeded' | 'failed'; errorCode: string | null }) => {
    const ended = await db.$executeRaw`
      UPDATE jobs SET state = ${p.state}::job_state, error_code = ${p.errorCode}, finished_at = now(), locked_by = NULL, locked_until = NULL, updated_at = now()
       WHERE id = ${p.jobId}::uuid AND locked_by = ${p.workerId}`;
    if (ended === 0) return false;
    await db.jobStep.create({ data: { jobId: p.jobId, step: 'import', status: p.state, detail: p.errorCode ? { code: p.errorCode } : {} } });
    return true;
  };
  return {
    endJob,
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
    /** Set-based (one statement per batch): Prisma's createMany costs several times more per row here. */
    saveRows: (importId: string, rows: RowResult[]) =>
      db.$executeRaw`
        INSERT INTO import_rows (import_id, "row", target_type, target, account, group_path, outcome, reason, message)
        SELECT ${importId}::uuid, w.*
          FROM unnest(${rows.map((r) => r.row)}::int[], ${rows.map((r) => r.targetType)}::text[], ${rows.map((r) => r.target)}::text[],
                      ${rows.map((r) => r.account)}::text[], ${rows.map((r) => r.groupPath)}::text[], ${rows.map((r) => r.outcome)}::text[],
                      ${rows.map((r) => r.reason)}::text[], ${rows.map((r) => r.message)}::text[]) AS w
        ON CONFLICT DO NOTHING`,
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

    /** The real run queued: its sealed file, a part a statement, and its job on `queue` (inserting the job wakes the workers). */
    queueRun: async (p: { importId: string; uploadParts: Iterable<EncryptedRecord>; queue: string; requestedById: string | null; params: ImportJobParams }) => {
      let part = 0;
      for (const sealed of p.uploadParts) {
        await db.importUpload.create({
          data: { importId: p.importId, part, ciphertext: sealed.ciphertext, wrappedKey: sealed.wrappedKey, keyVersion: sealed.keyVersion },
        });
        part += 1;
      }
      const params = p.params as unknown as Prisma.InputJsonValue;
      const job = await db.job.create({ data: { kind: 'IMPORT', queue: p.queue, requestedById: p.requestedById, params }, select: { id: true } });
      await db.import.update({ where: { id: p.importId }, data: { jobId: job.id } });
      return job.id;
    },
    byJob: (jobId: string) => db.import.findUnique({ where: { jobId } }),
    uploadPartCount: (importId: string) => db.importUpload.count({ where: { importId } }),
    uploadPart: (importId: string, part: number) =>
      db.importUpload.findUnique({ where: { importId_part: { importId, part } }, select: { ciphertext: true, wrappedKey: true, keyVersion: true } }),
    /** The rows an earlier run of this import wrote. */
    writtenRows: async (importId: string) =>
      new Set((await db.$queryRaw<{ row: number }[]>`SELECT "row" FROM import_rows WHERE import_id = ${importId}::uuid`).map((r) => r.row)),
    markRunning: (id: string) => db.import.update({ where: { id }, data: { state: 'running' } }),
    /**
     * Whether `workerId` still holds the job; read inside a batch's transaction, with a share lock
     * that keeps another worker from claiming the job until that transaction ends.
     */
    holdsJob: async (jobId: string, workerId: string) =>
      (
        await db.$queryRaw<
          { held: boolean }[]
        >`SELECT true AS held FROM jobs WHERE id = ${jobId}::uuid AND locked_by = ${workerId} AND state = 'running' FOR SHARE`
      ).length === 1,
    /** The end of the real run: the import's state, the job's, and the sealed file gone. Only while `workerId` holds the job. */
    endRun: async (p: { importId: string; jobId: string; workerId: string; state: 'succeeded' | 'failed'; errorCode: string | null; total: number }) => {
      if (!(await endJob(p))) return false;
      await db.import.update({ where: { id: p.importId }, data: { state: p.state, errorCode: p.errorCode, total: p.total, finishedAt: new Date() } });
      await db.importUpload.deleteMany({ where: { importId: p.importId } });
      return true;
    },
    /** Gives the job back (its worker is stopping): the next worker claims it at once, and the attempt is not counted. */
    releaseJob: (jobId: string, workerId: string) =>
      db.$executeRaw`UPDATE jobs SET locked_by = NULL, locked_until = NULL, attempts = greatest(attempts - 1, 0), updated_at = now()
                      WHERE id = ${jobId}::uuid AND locked_by = ${workerId}`,
    /** The requester as they are now: whether they may still act, their role's permissions, and for a token whether it is still live. */
    requesterNow: async (userId: string, tokenId: string | undefined) => {
      const user = await db.user.findUnique({ where: { id: userId }, select: { disabledAt: true, roleName: true } });
      if (!user || user.disabledAt) return null;
      const role = await db.role.findUnique({ where: { name: user.roleName }, select: { permissions: true } });
      if (tokenId) {
        const token = await db.apiToken.findUnique({ where: { id: tokenId }, select: { revokedAt: true, expiresAt: true } });
        if (!token || token.revokedAt || token.expiresAt.getTime() <= Date.now()) return null;
      }
      return { role: user.roleName, permissions: role?.permissions ?? [] };
    },

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
    insertAccounts: (rows: { targetId: string; username: string; description: string; compliant: boolean | null }[]) =>
      db.$queryRaw<{ id: string; targetId: string; username: string }[]>`
        INSERT INTO accounts (id, target_id, username, description, compliance, updated_at)
        SELECT gen_random_uuid(), w.target_id, w.username, w.description,
               CASE WHEN w.ok IS NULL THEN NULL WHEN w.ok THEN 'Compliant' ELSE 'Noncompliant' END::policy_compliance, now()
          FROM unnest(${rows.map((r) => r.targetId)}::uuid[], ${rows.map((r) => r.username)}::text[], ${rows.map((r) => r.description)}::text[],
                      ${rows.map((r) => r.compliant)}::boolean[])
            AS w(target_id, username, description, ok)
        RETURNING id::text AS id, target_id::text AS "targetId", username`,
    /** Locks accounts whose password changes, in id order (lock order: db/transaction.ts). */
    lockAccounts: (ids: string[]) => db.$executeRaw`SELECT 1 FROM accounts WHERE id = ANY(${[...ids].sort()}::uuid[]) ORDER BY id FOR UPDATE`,

    passwordsOf: (accountIds: string[]) =>
      db.$queryRaw<StoredPassword[]>`
        SELECT c.id::text AS "credentialId", c.account_id::text AS "accountId", v.id::text AS "versionId",
               COALESCE((SELECT max(x.version) FROM credential_versions x WHERE x.credential_id = c.id), 0) AS version,
               v.ciphertext, v.wrapped_key AS "wrappedKey", v.key_version AS "keyVersion",
               (EXISTS (SELECT 1 FROM credential_versions p WHERE p.credential_id = c.id AND p.state = 'PENDING')
                 OR EXISTS (SELECT 1 FROM accounts a WHERE a.id = c.account_id AND a.locked_by_job_id IS NOT NULL AND a.lock_expires_at > now())) AS busy
          FROM credentials c
          LEFT JOIN credential_versions v ON v.credential_id = c.id AND v.state = 'CURRENT'
         WHERE c.account_id = ANY(${accountIds}::uuid[]) AND c.slot = 'password'`,
    insertCredentials: (rows: { id: string; accountId: string }[]) =>
      db.$executeRaw`
        INSERT INTO credentials (id, account_id, type, slot, updated_at)
        SELECT w.id, w.account_id, 'PASSWORD', 'password', now() FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.accountId)}::uuid[]) AS w(id, account_id)`,
    insertVersions: (rows: NewVersion[]) =>
      db.$executeRaw`
        INSERT INTO credential_versions (id, credential_id, version, state, origin, ciphertext, wrapped_key, key_version, compliant, created_by_id)
        SELECT gen_random_uuid(), w.credential_id, w.version, 'CURRENT', 'IMPORTED', w.ciphertext, w.wrapped_key, w.key_version, w.compliant, ${rows[0]?.createdById ?? null}::uuid
          FROM unnest(${rows.map((r) => r.credentialId)}::uuid[], ${rows.map((r) => r.version)}::int[], ${rows.map((r) => r.ciphertext)}::bytea[],
                      ${rows.map((r) => r.wrappedKey)}::bytea[], ${rows.map((r) => r.keyVersion)}::int[], ${rows.map((r) => r.compliant)}::boolean[])
            AS w(credential_id, version, ciphertext, wrapped_key, key_version, compliant)`,
    retireVersions: (ids: string[]) =>
      db.$executeRaw`UPDATE credential_versions SET state = 'RETIRED', state_changed_at = now() WHERE id = ANY(${ids}::uuid[]) AND state = 'CURRENT'`,
    /** A new unverified password on an existing account: no longer proven InSync, and compliant as all its current secrets are. */
    afterPasswordChange: async (accountIds: string[]) => {
      await db.$executeRaw`UPDATE accounts SET status = 'Unknown', status_reason = 'NOT_CHECKED' WHERE id = ANY(${accountIds}::uuid[]) AND status = 'InSync'`;
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
