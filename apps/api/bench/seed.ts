import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Seeds a realistic estate fast: `targets` hosts with `accountsPerTarget` accounts each,
 * mixed usernames, statuses (InSync/NotInSync/Unknown with reasons), check times (some
 * never checked) and creation times over a year. Rows go in as multi-row INSERTs of
 * `unnest(array params)`, 10 000 rows per statement.
 */
export interface SeedOptions {
  targets: number;
  accountsPerTarget: number;
}

const ENVS = ['prod', 'stage', 'dev', 'lab'];
const ROLES = ['db', 'web', 'app', 'cache', 'mq', 'bastion', 'ci', 'files'];
export const USERNAMES = [
  'root',
  'admin',
  'deploy',
  'backup',
  'postgres',
  'oracle',
  'mysql',
  'www-data',
  'nginx',
  'jenkins',
  'ansible',
  'svc_app',
  'svc_batch',
  'monitor',
  'nagios',
  'zabbix',
  'git',
  'gitlab-runner',
  'ubuntu',
  'debian',
  'ec2-user',
  'centos',
  'operator',
  'sysadmin',
  'dba',
  'redis',
  'kafka',
  'elastic',
  'grafana',
  'prometheus',
  'tomcat',
  'jboss',
  'sftp',
  'ftpuser',
  'mail',
  'postfix',
  'ldap',
  'vault',
  'consul',
  'docker',
];
const REASONS = ['AUTH_REJECTED', 'UNREACHABLE', 'HOST_KEY_MISMATCH', 'SSH_DIR_OWNERSHIP', 'TIMEOUT'];

/** A UUIDv7 for a given time, like the ids Prisma makes (`uuid(7)`). */
function uuidv7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A deterministic pseudo-random stream, so every run seeds the same estate. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const targetName = (i: number) => `${ENVS[i % ENVS.length]}-${ROLES[Math.floor(i / ENVS.length) % ROLES.length]}-${String(i).padStart(5, '0')}`;

export async function seedEstate(databaseUrl: string, options: SeedOptions): Promise<{ targets: number; accounts: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const random = prng(42);
  const now = Date.now();
  const yearMs = 365 * 86_400_000;
  try {
    const targetIds: string[] = [];
    const targetCreated: number[] = [];
    for (let from = 0; from < options.targets; from += 10_000) {
      const ids: string[] = [];
      const names: string[] = [];
      const addresses: string[] = [];
      const tags: string[] = [];
      const created: Date[] = [];
      for (let i = from; i < Math.min(options.targets, from + 10_000); i += 1) {
        const at = now - yearMs + Math.floor((i / options.targets) * yearMs * 0.5);
        const id = uuidv7(at);
        ids.push(id);
        targetIds.push(id);
        targetCreated.push(at);
        names.push(targetName(i));
        addresses.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
        tags.push(`{${ENVS[i % ENVS.length]},${ROLES[Math.floor(i / ENVS.length) % ROLES.length]}}`);
        created.push(new Date(at));
      }
      await client.query(
        // Every target in the vault's root folder: this estate measures lists, not the tree.
        `INSERT INTO targets (id, name, address, port, tags, created_at, updated_at, folder_id)
         SELECT id, name, address, 22, tags::text[], created, created, (SELECT f.id FROM folders f WHERE f.parent_id IS NULL)
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS s(id, name, address, tags, created)`,
        [ids, names, addresses, tags, created],
      );
    }

    const total = options.targets * options.accountsPerTarget;
    const cols = {
      id: [] as string[],
      target: [] as string[],
      username: [] as string[],
      status: [] as string[],
      reason: [] as (string | null)[],
      checked: [] as (Date | null)[],
      changed: [] as (Date | null)[],
      created: [] as Date[],
    };
    const flush = async () => {
      await client.query(
        `INSERT INTO accounts (id, target_id, username, status, status_reason, last_checked_at, last_changed_at, created_at, updated_at)
         SELECT id, target, username, status::account_status, reason, checked, changed, created, created
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[])
             AS s(id, target, username, status, reason, checked, changed, created)`,
        [cols.id, cols.target, cols.username, cols.status, cols.reason, cols.checked, cols.changed, cols.created],
      );
      for (const c of Object.values(cols)) c.length = 0;
    };
    for (let t = 0; t < options.targets; t += 1) {
      for (let j = 0; j < options.accountsPerTarget; j += 1) {
        // Distinct per target: stride 3 over the 40 names, then numbered beyond 40.
        const base = USERNAMES[(t + j * 3) % USERNAMES.length]!;
        const username = j < USERNAMES.length ? (j % 4 === 3 ? `${base}${t % 97}` : base) : `${base}${j}`;
        const r = random();
        const status = r < 0.55 ? 'InSync' : r < 0.85 ? 'NotInSync' : 'Unknown';
        const neverChecked = status === 'Unknown' && random() < 0.8;
        const created = targetCreated[t]! + Math.floor(random() * (now - targetCreated[t]!) * 0.5);
        cols.id.push(uuidv7(created));
        cols.target.push(targetIds[t]!);
        cols.username.push(username);
        cols.status.push(status);
        cols.reason.push(status === 'NotInSync' ? REASONS[Math.floor(random() * REASONS.length)]! : null);
        cols.checked.push(neverChecked ? null : new Date(now - Math.floor(random() * 30 * 86_400_000)));
        cols.changed.push(random() < 0.3 ? null : new Date(created + Math.floor(random() * (now - created))));
        cols.created.push(new Date(created));
        if (cols.id.length === 10_000) await flush();
      }
    }
    if (cols.id.length > 0) await flush();
    // A steady-state database: statistics current, trigram indexes' pending lists merged.
    await client.query('VACUUM ANALYZE targets');
    await client.query('VACUUM ANALYZE accounts');
    // Flush the seed's writes now rather than during the first measurement (needs superuser).
    await client.query('CHECKPOINT').catch(() => undefined);
    return { targets: options.targets, accounts: total };
  } finally {
    await client.end();
  }
}
