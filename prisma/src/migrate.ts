import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Where the SQL migrations live, in Prisma's layout: <timestamp>_<name>/migration.sql. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** The advisory-lock key `prisma migrate deploy` takes, so the two never run at once. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'MIGRATION_EDITED' | 'MIGRATION_MISSING' | 'MIGRATION_FAILED' | 'MIGRATION_INCOMPLETE',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Prisma's checksum: SHA-256 (hex) of the migration file's bytes. */
function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

async function appliedRows(client: pg.ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists.rows[0]?.t) return [];
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return rows;
}

/** Compares the database's history with the files; throws on edited, missing or half-applied migrations. */
function compare(files: MigrationFile[], rows: AppliedRow[]): MigrationStatus {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of rows) {
    if (!row.finished_at) {
      throw new MigrationError(
        'MIGRATION_INCOMPLETE',
        `Migration ${row.migration_name} started but never finished. Repair the database by hand, then mark it rolled back or finished in "_prisma_migrations".`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        'MIGRATION_MISSING',
        `Migration ${row.migration_name} is applied to the database but missing from ${MIGRATIONS_DIR}. Restore it; applied migrations are never removed.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        'MIGRATION_EDITED',
        `Migration ${row.migration_name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). Revert the edit and add a new migration instead.`,
      );
    }
  }
  const applied = new Set(rows.map((r) => r.migration_name));
  return {
    applied: files.filter((f) => applied.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !applied.has(f.name)).map((f) => f.name),
  };
}

export async function migrationStatus(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return compare(await readMigrations(dir), await appliedRows(client));
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations, each in its own transaction, under Prisma's advisory lock,
 * recording them in Prisma's `_prisma_migrations` table. Returns the names it applied.
 */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { pending } = compare(files, await appliedRows(client));
    const done: string[] = [];
    for (const name of pending) {
      const file = files.find((f) => f.name === name)!;
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), file.checksum, file.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError('MIGRATION_FAILED', `Migration ${name} failed and was rolled back: ${reason}`);
      }
      done.push(name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
