import { cp, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createEmptyDatabase, dropDatabase } from '@passman/testkit/db';
import { migrate, MigrationError, MIGRATIONS_DIR, migrationStatus, readMigrations } from './migrate.js';

const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

async function freshDatabase(): Promise<string> {
  const url = await createEmptyDatabase(adminUrl(), 'passman_migrate');
  cleanups.push(() => dropDatabase(adminUrl(), url));
  return url;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'passman-migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migration runner', () => {
  it('applies every migration once, recording it in Prisma’s table with its checksum', async () => {
    const url = await freshDatabase();
    const files = await readMigrations();
    expect(await migrate(url)).toEqual(files.map((f) => f.name));
    expect(await migrate(url)).toEqual([]);
    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      url,
      'SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows).toEqual(files.map((f) => ({ migration_name: f.name, checksum: f.checksum, applied_steps_count: 1 })));
    expect(await migrationStatus(url)).toEqual({ applied: files.map((f) => f.name), pending: [] });
  });

  it('lets only one of several concurrent runners apply each migration (advisory lock)', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const applied = results.flat();
    expect(applied.sort()).toEqual((await readMigrations()).map((f) => f.name).sort());
    const [count] = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(count!.n)).toBe(applied.length);
  });

  it('refuses to run when an applied migration was edited, and says which', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, dir);
    const [first] = await readMigrations(dir);
    await appendFile(join(dir, first!.name, 'migration.sql'), '\n-- an innocent-looking edit\n');
    const error = await migrate(url, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('MIGRATION_EDITED');
    expect((error as MigrationError).message).toContain(first!.name);
  });

  it('refuses to run when an applied migration is missing', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, dir);
    const [first] = await readMigrations(dir);
    await rm(join(dir, first!.name), { recursive: true });
    await expect(migrate(url, dir)).rejects.toMatchObject({ code: 'MIGRATION_MISSING' });
  });

  it('rolls back a failing migration completely and reports it as pending', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, dir);
    await cp(join(dir, (await readMigrations(dir))[0]!.name), join(dir, '29990101000000_broken'), { recursive: true });
    await writeFile(join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n');
    await expect(migrate(url, dir)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
    const [exists] = await query<{ t: string | null }>(url, `SELECT to_regclass('half_done')::text AS t`);
    expect(exists!.t).toBeNull();
    expect((await migrationStatus(url, dir)).pending).toEqual(['29990101000000_broken']);
  });
});
