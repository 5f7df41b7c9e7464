import pg from 'pg';
import { USERNAMES } from './seed.js';

/**
 * Seeds a vault tree at scale with set-based SQL (INSERT … SELECT over generate_series), so a
 * hundred thousand accounts take seconds:
 * - folders on four levels below the root — units, environments, teams, applications (1 : 4 :
 *   15 : 30) — with the targets in the two lowest levels, as a tree grows when teams file hosts;
 * - `accountsPerTarget` accounts per target, with the mix of usernames, statuses and check times
 *   of the list benchmark's estate (seed.ts);
 * - `users` operators (the administrator the app creates makes one more) in `groups` groups, each
 *   user in two groups; every group allowed three actions on a team folder and view on an
 *   environment, and denied checkout on an application folder; every user granted view and
 *   checkout on two targets and view on two accounts of their own;
 * - one operator, BENCH_OPERATOR, whose grants reach about a tenth of the accounts, through
 *   groups and directly, with DENY below ALLOW: see `seedOperatorGrants`.
 *
 * Deterministic apart from ids: `setseed` fixes PostgreSQL's random() for the session.
 */
export interface TreeSeedOptions {
  folders: number;
  targets: number;
  accountsPerTarget: number;
  users: number;
  groups: number;
  /** The password hash every seeded user gets (one argon2 hash: hashing 2 000 would take minutes). */
  passwordHash: string;
}

export const BENCH_OPERATOR = 'op-0000';

/** Folder levels below the root, their share of the folders, and the name prefix of each. */
const LEVELS = [
  { prefix: 'unit', share: 1 },
  { prefix: 'env', share: 4 },
  { prefix: 'team', share: 15 },
  { prefix: 'app', share: 30 },
] as const;

export interface TreeSeed {
  folders: number;
  targets: number;
  accounts: number;
  users: number;
  groups: number;
  grants: number;
  /** How many folders each level holds, from the top. */
  levels: number[];
}

export async function seedTree(databaseUrl: string, options: TreeSeedOptions): Promise<TreeSeed> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  try {
    await q('SELECT setseed(0.42)');

    // Folders, level by level: folder i of a level hangs under folder (i mod size) of the level
    // above, so every unit holds a tenth of the environments, teams and applications.
    const totalShare = LEVELS.reduce((n, l) => n + l.share, 0);
    const sizes = LEVELS.map((l) => Math.max(1, Math.floor((options.folders * l.share) / totalShare)));
    sizes[sizes.length - 1] = options.folders - sizes.slice(0, -1).reduce((a, b) => a + b, 0);
    await q(`CREATE TEMP TABLE bench_folders (level int, n int, id uuid PRIMARY KEY)`);
    for (const [level, { prefix }] of LEVELS.entries()) {
      const parent =
        level === 0
          ? `(SELECT f.id FROM folders f WHERE f.parent_id IS NULL)`
          : `(SELECT p.id FROM bench_folders p WHERE p.level = ${level - 1} AND p.n = b.n % ${sizes[level - 1]})`;
      await q(`INSERT INTO bench_folders (level, n, id) SELECT ${level}, i, gen_random_uuid() FROM generate_series(0, $1 - 1) i`, [sizes[level]]);
      await q(
        `INSERT INTO folders (id, parent_id, name, updated_at)
         SELECT b.id, ${parent}, $1 || '-' || lpad(b.n::text, 3, '0'), now()
           FROM bench_folders b WHERE b.level = $2 ORDER BY b.n`,
        [prefix, level],
      );
    }

    // Targets in the two lowest levels, round robin, named and tagged as in seed.ts.
    const holders = `(SELECT id, row_number() OVER (ORDER BY level, n) - 1 AS k FROM bench_folders WHERE level >= ${LEVELS.length - 2})`;
    await q(
      `CREATE TEMP TABLE bench_targets AS
       SELECT n, gen_random_uuid() AS id, h.id AS folder_id,
              now() - interval '365 days' + (n::float8 / $1) * interval '182 days' AS created
         FROM generate_series(0, $1 - 1) n JOIN ${holders} h ON h.k = n % (SELECT count(*) FROM bench_folders WHERE level >= ${LEVELS.length - 2})`,
      [options.targets],
    );
    await q(
      `INSERT INTO targets (id, name, address, port, tags, folder_id, created_at, updated_at)
       SELECT t.id, e.env || '-' || r.role || '-' || lpad(t.n::text, 5, '0'),
              '10.' || ((t.n >> 16) & 255) || '.' || ((t.n >> 8) & 255) || '.' || (t.n & 255), 22,
              ARRAY[e.env, r.role], t.folder_id, t.created, t.created
         FROM bench_targets t
         CROSS JOIN LATERAL (SELECT (ARRAY['prod', 'stage', 'dev', 'lab'])[1 + t.n % 4] AS env) e
         CROSS JOIN LATERAL (SELECT (ARRAY['db', 'web', 'app', 'cache', 'mq', 'bastion', 'ci', 'files'])[1 + (t.n / 4) % 8] AS role) r`,
    );

    // Accounts: distinct usernames per target (stride 3 over the 40 names, some numbered),
    // 55 % InSync / 30 % NotInSync / 15 % Unknown, most Unknown never checked.
    await q(
      `INSERT INTO accounts (id, target_id, username, status, status_reason, last_checked_at, last_changed_at, created_at, updated_at)
       SELECT gen_random_uuid(), s.target_id,
              CASE WHEN s.j >= $3 THEN s.base || s.j WHEN s.j % 4 = 3 THEN s.base || (s.n % 97) ELSE s.base END,
              s.status::account_status,
              CASE WHEN s.status = 'NotInSync' THEN (ARRAY['AUTH_REJECTED', 'UNREACHABLE', 'HOST_KEY_MISMATCH', 'SSH_DIR_OWNERSHIP', 'TIMEOUT'])[1 + floor(s.r2 * 5)::int] END,
              CASE WHEN s.status = 'Unknown' AND s.r2 < 0.8 THEN NULL ELSE now() - s.r3 * interval '30 days' END,
              CASE WHEN s.r4 < 0.3 THEN NULL ELSE s.created + s.r3 * (now() - s.created) END,
              s.created, s.created
         FROM (SELECT t.id AS target_id, t.n, j, ($2::text[])[1 + (t.n + j * 3) % $3] AS base,
                      CASE WHEN r1 < 0.55 THEN 'InSync' WHEN r1 < 0.85 THEN 'NotInSync' ELSE 'Unknown' END AS status,
                      r2, r3, r4, t.created + r5 * (now() - t.created) * 0.5 AS created
                 FROM bench_targets t, generate_series(0, $1 - 1) j,
                      LATERAL (SELECT random() + 0 * (t.n + j) AS r1, random() + 0 * (t.n + j) AS r2, random() + 0 * (t.n + j) AS r3, random() + 0 * (t.n + j) AS r4, random() + 0 * (t.n + j) AS r5) x) s`,
      [options.accountsPerTarget, USERNAMES, USERNAMES.length],
    );

    // Users, and groups: each user (but the bench operator, see below) in two of them.
    await q(
      `INSERT INTO users (id, username, display_name, password_hash, role_name, created_at, updated_at)
       SELECT gen_random_uuid(), 'op-' || lpad(u::text, 4, '0'), 'Operator ' || u, $2, 'operator', now(), now() FROM generate_series(0, $1 - 1) u`,
      [options.users, options.passwordHash],
    );
    await q(
      `INSERT INTO user_groups (id, name, description, updated_at)
       SELECT gen_random_uuid(), 'group-' || lpad(g::text, 3, '0'), 'Benchmark group ' || g, now() FROM generate_series(0, $1 - 1) g`,
      [options.groups],
    );
    const groupN = `(right(ug.name, 3)::int)`;
    const userN = `(right(u.username, 4)::int)`;
    await q(
      `INSERT INTO user_group_members (group_id, user_id)
       SELECT DISTINCT ug.id, u.id FROM users u JOIN user_groups ug ON ug.name LIKE 'group-%'
          AND (${groupN} = ${userN} % $1 OR ${groupN} = (${userN} * 7 + 3) % $1)
        WHERE u.username LIKE 'op-%' AND u.username <> $2`,
      [options.groups, BENCH_OPERATOR],
    );

    // Every group but the three the bench operator is in: three actions on a team folder, view
    // on an environment, and checkout denied on an application folder.
    const folderOf = (level: number, expr: string) => `(SELECT b.id FROM bench_folders b WHERE b.level = ${level} AND b.n = (${expr}) % ${sizes[level]})`;
    await q(
      `INSERT INTO grants (id, folder_id, group_id, action, effect)
       SELECT gen_random_uuid(), x.folder_id, ug.id, x.action::vault_action, x.effect::grant_effect
         FROM user_groups ug
         CROSS JOIN LATERAL (VALUES
           (${folderOf(2, `${groupN} * 7`)}, 'view', 'ALLOW'), (${folderOf(2, `${groupN} * 7`)}, 'checkout', 'ALLOW'),
           (${folderOf(2, `${groupN} * 7`)}, 'check', 'ALLOW'), (${folderOf(1, groupN)}, 'view', 'ALLOW'),
           (${folderOf(3, `${groupN} * 11`)}, 'checkout', 'DENY')) AS x(folder_id, action, effect)
        WHERE ug.name LIKE 'group-%' AND ${groupN} >= 3
       ON CONFLICT DO NOTHING`,
    );
    // Every user but the bench operator: view and checkout on two targets, view on two accounts.
    await q(`CREATE TEMP TABLE bench_accounts AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM accounts`);
    await q(`CREATE INDEX ON bench_accounts (n)`);
    await q(
      `INSERT INTO grants (id, target_id, user_id, action, effect)
       SELECT gen_random_uuid(), t.id, u.id, a.action::vault_action, 'ALLOW'
         FROM users u, generate_series(0, 1) k, unnest(ARRAY['view', 'checkout']) a(action), bench_targets t
        WHERE u.username LIKE 'op-%' AND u.username <> $2 AND t.n = (${userN} * 37 + k * 1013) % $1
       ON CONFLICT DO NOTHING`,
      [options.targets, BENCH_OPERATOR],
    );
    await q(
      `INSERT INTO grants (id, account_id, user_id, action, effect)
       SELECT gen_random_uuid(), b.id, u.id, 'view', 'ALLOW'
         FROM users u, generate_series(0, 1) k, bench_accounts b
        WHERE u.username LIKE 'op-%' AND u.username <> $2 AND b.n = (${userN} * 53 + k * 7919) % $1
       ON CONFLICT DO NOTHING`,
      [options.targets * options.accountsPerTarget, BENCH_OPERATOR],
    );

    await seedOperatorGrants(q);

    // A steady-state database: statistics current, visibility maps set.
    for (const table of ['folders', 'folder_closure', 'targets', 'accounts', 'users', 'user_groups', 'user_group_members', 'grants']) {
      await q(`VACUUM ANALYZE ${table}`);
    }
    // Flush the seed's writes now rather than during the first measurement (needs superuser).
    await q('CHECKPOINT').catch(() => undefined);

    const count = async (sql: string) => Number((await q(`SELECT count(*) AS n FROM ${sql}`)).rows[0].n);
    return {
      folders: await count('folders'),
      targets: await count('targets'),
      accounts: await count('accounts'),
      users: await count('users'),
      groups: await count('user_groups'),
      grants: await count('grants'),
      levels: sizes,
    };
  } finally {
    await client.end();
  }
}

/**
 * The bench operator's rights, about a tenth of the accounts: through group-000, three actions on
 * unit-000 (a tenth of the tree) but view denied on one of its teams (team-010 and its two
 * applications); through group-001, view and checkout on 25 targets of unit-001; through
 * group-002, reset on unit-000 denied on one of its environments; directly, view and checkout on
 * 100 accounts of unit-002, view denied on 40 accounts and checkout on 5 targets inside unit-000.
 */
async function seedOperatorGrants(q: (text: string, values?: unknown[]) => Promise<pg.QueryResult>) {
  const user = `(SELECT id FROM users WHERE username = '${BENCH_OPERATOR}')`;
  const group = (n: number) => `(SELECT id FROM user_groups WHERE name = 'group-${String(n).padStart(3, '0')}')`;
  const folder = (name: string) => `(SELECT id FROM folders WHERE name = '${name}')`;
  const below = (name: string) => `(SELECT c.descendant_id FROM folder_closure c WHERE c.ancestor_id = ${folder(name)})`;
  await q(`INSERT INTO user_group_members (group_id, user_id) SELECT g, ${user} FROM unnest(ARRAY[${group(0)}, ${group(1)}, ${group(2)}]) g`);
  const grant = (object: 'folder_id' | 'target_id' | 'account_id', principal: 'user_id' | 'group_id', who: string, rows: string) =>
    q(`INSERT INTO grants (id, ${object}, ${principal}, action, effect)
       SELECT gen_random_uuid(), o.id, ${who}, o.action::vault_action, o.effect::grant_effect FROM (${rows}) o`);
  const actions = (list: string[], effect: 'ALLOW' | 'DENY', objects: string) =>
    `SELECT x.id, a.action, '${effect}' AS effect FROM (${objects}) x(id), unnest(ARRAY[${list.map((a) => `'${a}'`).join(', ')}]) a(action)`;

  await grant('folder_id', 'group_id', group(0), actions(['view', 'checkout', 'check'], 'ALLOW', `SELECT ${folder('unit-000')}`));
  await grant('folder_id', 'group_id', group(0), actions(['view'], 'DENY', `SELECT ${folder('team-010')}`));
  await grant(
    'target_id',
    'group_id',
    group(1),
    actions(['view', 'checkout'], 'ALLOW', `SELECT t.id FROM targets t WHERE t.folder_id IN ${below('unit-001')} ORDER BY t.name LIMIT 25`),
  );
  await grant('folder_id', 'group_id', group(2), actions(['reset'], 'ALLOW', `SELECT ${folder('unit-000')}`));
  await grant('folder_id', 'group_id', group(2), actions(['reset'], 'DENY', `SELECT ${folder('env-020')}`));
  await grant(
    'account_id',
    'user_id',
    user,
    actions(
      ['view', 'checkout'],
      'ALLOW',
      `SELECT a.id FROM accounts a WHERE a.folder_id IN ${below('unit-002')} ORDER BY a.target_name, a.username LIMIT 100`,
    ),
  );
  await grant(
    'account_id',
    'user_id',
    user,
    actions(
      ['view'],
      'DENY',
      `SELECT a.id FROM accounts a WHERE a.folder_id IN ${below('unit-000')} AND a.folder_id NOT IN ${below('team-010')} ORDER BY a.target_name, a.username LIMIT 40`,
    ),
  );
  await grant(
    'target_id',
    'user_id',
    user,
    actions(
      ['checkout'],
      'DENY',
      `SELECT t.id FROM targets t WHERE t.folder_id IN ${below('unit-000')} AND t.folder_id NOT IN ${below('team-010')} ORDER BY t.name DESC LIMIT 5`,
    ),
  );
}
