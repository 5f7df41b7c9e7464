import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getDMMF } from '@prisma/internals';
import pg from 'pg';

// Proves the hand-written SQL migrations build exactly the database schema.prisma describes.
// Runs against the migrated database jest's global setup made for this run (schema `public`;
// job-queue schemas that tests create beside it are not PassMan's tables).

type DMMF = Awaited<ReturnType<typeof getDMMF>>;
type Model = DMMF['datamodel']['models'][number];

/** Indexes the SQL adds on purpose that Prisma's schema language cannot express. */
const EXTRA_UNIQUE_INDEXES = new Set([
  'credential_versions_one_current',
  'policies_one_default',
  'folders_one_root',
  'grants_object_principal_action',
  'alerts_one_open',
]);

let dmmf: DMMF;
let client: pg.Client;

beforeAll(async () => {
  const schemaPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema.prisma');
  dmmf = await getDMMF({ datamodel: await readFile(schemaPath, 'utf8') });
  client = new pg.Client({ connectionString: process.env.PASSMAN_TEST_DATABASE_URL });
  await client.connect();
});

afterAll(async () => {
  await client.end();
});

const tableOf = (model: Model) => model.dbName ?? model.name;
const scalarFields = (model: Model) => model.fields.filter((f) => f.kind !== 'object');
const columnOf = (model: Model, fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName);
  if (!field) throw new Error(`no field ${fieldName}`);
  return field.dbName ?? field.name;
};

function expectedType(model: Model, field: Model['fields'][number]): string {
  if (field.kind === 'enum') {
    const en = dmmf.datamodel.enums.find((e) => e.name === field.type)!;
    return field.isList ? `_${en.dbName ?? en.name}` : (en.dbName ?? en.name);
  }
  const native = field.nativeType?.[0];
  const base: Record<string, string> = {
    String: native === 'Uuid' ? 'uuid' : 'text',
    Int: 'int4',
    BigInt: 'int8',
    Boolean: 'bool',
    DateTime: native === 'Timestamptz' ? 'timestamptz' : 'timestamp',
    Json: 'jsonb',
    Bytes: 'bytea',
    Float: 'float8',
    Decimal: 'numeric',
  };
  const t = base[field.type];
  if (!t) throw new Error(`unmapped type ${field.type} on ${model.name}.${field.name}`);
  return field.isList ? `_${t}` : t;
}

describe('migrated database matches schema.prisma', () => {
  it('has exactly the tables of the models', async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const actual = rows
      .map((r) => r.table_name)
      .filter((t) => t !== '_prisma_migrations')
      .sort();
    expect(actual).toEqual(dmmf.datamodel.models.map(tableOf).sort());
  });

  it('has the enums with their values', async () => {
    const { rows } = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
        GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
    expect(actual).toEqual(expected);
  });

  it('has every column with its type and nullability, and no others', async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; precision: number | null }>(
      `SELECT table_name, column_name, udt_name, is_nullable, datetime_precision AS precision
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = rows
      .map(
        (r) =>
          `${r.table_name}.${r.column_name}: ${r.udt_name}${r.udt_name === 'timestamptz' ? `(${r.precision})` : ''} ${r.is_nullable === 'YES' ? 'NULL' : 'NOT NULL'}`,
      )
      .sort();
    const expected = dmmf.datamodel.models
      .flatMap((m) =>
        scalarFields(m).map((f) => {
          const type = expectedType(m, f);
          const precision = type === 'timestamptz' ? `(${f.nativeType?.[1]?.[0] ?? 3})` : '';
          // Prisma makes scalar lists nullable columns.
          const nullable = !f.isRequired || f.isList;
          return `${tableOf(m)}.${f.dbName ?? f.name}: ${type}${precision} ${nullable ? 'NULL' : 'NOT NULL'}`;
        }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has the primary keys and unique constraints of the schema', async () => {
    const { rows } = await client.query<{ table: string; index: string; columns: string[]; primary: boolean }>(
      `SELECT t.relname AS table, i.relname AS index, ix.indisprimary AS primary,
              array_agg(a.attname ORDER BY k.ord)::text[] AS columns
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE ix.indisunique AND t.relname <> '_prisma_migrations'
        GROUP BY t.relname, i.relname, ix.indisprimary`,
    );
    const actual = rows
      .filter((r) => !EXTRA_UNIQUE_INDEXES.has(r.index))
      .map((r) => `${r.table}${r.primary ? ' PK' : ''} (${r.columns.join(', ')})`)
      .sort();
    const expected = dmmf.datamodel.models
      .flatMap((m) => {
        const table = tableOf(m);
        const pk = m.primaryKey
          ? [`${table} PK (${m.primaryKey.fields.map((f) => columnOf(m, f)).join(', ')})`]
          : m.fields.filter((f) => f.isId).map((f) => `${table} PK (${f.dbName ?? f.name})`);
        const single = m.fields.filter((f) => f.isUnique).map((f) => `${table} (${f.dbName ?? f.name})`);
        const compound = m.uniqueFields.map((fields) => `${table} (${fields.map((f) => columnOf(m, f)).join(', ')})`);
        return [...pk, ...single, ...compound];
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has the foreign keys of the relations, with their delete rules', async () => {
    const { rows } = await client.query<{ table: string; columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS ref_table,
              (SELECT array_agg(a.attname ORDER BY k.ord)::text[] FROM unnest(c.conkey) WITH ORDINALITY k(n, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS columns,
              (SELECT array_agg(a.attname ORDER BY k.ord)::text[] FROM unnest(c.confkey) WITH ORDINALITY k(n, ord)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS ref_columns,
              c.confdeltype AS on_delete
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'public'
        WHERE c.contype = 'f'`,
    );
    const rule: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };
    const actual = rows
      .map(
        (r) =>
          `${r.table.replace(/"/g, '')} (${r.columns.join(', ')}) -> ${r.ref_table.replace(/"/g, '')} (${r.ref_columns.join(', ')}) ON DELETE ${rule[r.on_delete]}`,
      )
      .sort();
    const expected = dmmf.datamodel.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0)
          .map((f) => {
            const target = dmmf.datamodel.models.find((x) => x.name === f.type)!;
            const from = f.relationFromFields!.map((n) => columnOf(m, n)).join(', ');
            const to = f.relationToFields!.map((n) => columnOf(target, n)).join(', ');
            const anyOptional = f.relationFromFields!.some((n) => !m.fields.find((x) => x.name === n)!.isRequired);
            const onDelete = f.relationOnDelete ?? (anyOptional ? 'SetNull' : 'Restrict');
            return `${tableOf(m)} (${from}) -> ${tableOf(target)} (${to}) ON DELETE ${onDelete}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
