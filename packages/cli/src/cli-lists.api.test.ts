import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { createPassman } from '@passman/sdk';
import { createUser } from '../../../apps/api/src/test/harness.js';
import { accountWithUser, dir, freshTarget, jobIdIn, newPassword, passman, pm, server, shell, sshLogin, target, useCliWorld } from './test/cli-world.js';

// The built `passman` against a real PassMan and sshd: lists, imports, jobs, batches, targets and audit.
useCliWorld();

describe('passman lists, jobs and batches', () => {
  it('accounts list and show, targets list: a table for people, JSON for programs', async () => {
    const on = await freshTarget();
    const first = await accountWithUser({ on });
    const second = await accountWithUser({ on });
    const listed = await passman(['accounts', 'list', '--target', on.name]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ACCOUNT +STATUS +REASON$/);
    expect(listed.stdout).toContain(first.reference);
    expect(listed.stdout).toContain(second.reference);
    const json = await passman(['-o', 'json', 'accounts', 'list', '--target', on.name]);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((a) => a.id).sort()).toEqual([first.id, second.id].sort());
    expect((await passman(['accounts', 'show', first.reference])).stdout).toContain(`id:           ${first.id}\n`);
    expect((await passman(['targets', 'list', '--q', on.name])).stdout).toContain(`${on.name}  ${target.host}`);
  });

  it('import --dry-run says per row what would happen and changes nothing; the real run imports once; -o yaml for programs', async () => {
    const folder = await pm.folders.create({ body: { name: `cli-import-${randomBytes(4).toString('hex')}` } });
    const host = `imp-${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${host}.csv`);
    const rows = [
      'Target_type,Target,Account,Password,Group_path,Description,URL',
      `ssh,${host},alice,${newPassword()},,,`,
      `ssh,${host},bob,${newPassword()},,,`,
    ];
    writeFileSync(file, `${[...rows, `telnet,${host}-old,carol,${newPassword()},,,`].join('\n')}\n`);

    const dry = await passman(['import', '--dry-run', '--folder', folder.id, file]);
    expect([dry.code, dry.stderr]).toEqual([1, '']); // a row would be skipped
    expect(dry.stdout.split('\n')[0]).toMatch(/^ROW +OUTCOME +TARGET +ACCOUNT +GROUP_PATH +REASON$/);
    expect(dry.stdout).toMatch(new RegExp(`\\bcreate +${host} +alice\\b`));
    expect(dry.stdout).toMatch(new RegExp(`\\bskip +${host}-old +carol\\b`));
    expect(dry.stdout).toContain('dry run, nothing changed');
    expect((await pm.targets.list({ query: { q: host } })).items).toEqual([]);

    writeFileSync(file, `${rows.join('\n')}\n`);
    const real = await passman(['-o', 'yaml', 'import', '--folder', folder.id, file]);
    expect([real.code, real.stderr]).toEqual([0, '']);
    const result = parseYaml(real.stdout) as { state: string; counts: { create: number }; rows: unknown[] };
    expect(result.state).toBe('succeeded');
    expect(result.counts).toMatchObject({ create: 2, skip: 0, failed: 0 });
    expect(result.rows).toEqual([]); // a real run lists the rows that did not go in
    const again = await passman(['-o', 'json', 'import', '--folder', folder.id, file]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { counts: { create: number; unchanged: number } }).counts).toMatchObject({ create: 0, unchanged: 2 });
    const listed = await passman(['accounts', 'list', '--target', host]);
    expect(listed.stdout).toContain(`${host}/alice`);
    expect(listed.stdout).toContain(`${host}/bob`);
    // Secrets only from a file or stdin: a KeePass password is never an argument.
    expect((await passman(['import', '--kdbx-password', 'x', file])).code).toBe(2);
  });

  it('import on a terminal draws its progress as a bar on one line', async () => {
    const folder = await pm.folders.create({ body: { name: `cli-import-${randomBytes(4).toString('hex')}` } });
    const host = `imp-${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${host}.csv`);
    writeFileSync(file, `Target_type,Target,Account,Password\nssh,${host},dave,${newPassword()}\n`);
    // `script` gives the CLI a terminal as stdout.
    const onTty = await shell(`script -qec "$PASSMAN import --folder ${folder.id} ${file}" /dev/null`);
    expect(onTty.code).toBe(0);
    expect(onTty.stdout).toMatch(/\r\[#{30}\] import [\w-]+: 1\/1 rows \(1 create/);
  });

  it('jobs watch follows a job to its end, a line per change', async () => {
    const { id } = await accountWithUser();
    const job = await pm.jobs.check({ params: { id } });
    const watched = await passman(['jobs', 'watch', job.id]);
    expect(watched.code).toBe(0);
    expect(watched.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^job ${job.id} CHECK .*: succeeded`));
  });

  it('batch check --wait on a pipe: plain progress lines, exit 0 when every account is InSync, 1 when one is not', async () => {
    const clean = await freshTarget();
    await accountWithUser({ on: clean });
    await accountWithUser({ on: clean });
    const ok = await passman(['batch', 'check', '--target', clean.name, '--wait']);
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trimEnd().split('\n');
    expect(lines.every((line) => /^batch [0-9a-f-]+: \d+\/2 settled \(\d+ succeeded, \d+ failed, \d+ unverified\)$/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)$/);
    expect(ok.stdout).not.toContain('\r');

    const mixed = await freshTarget();
    await accountWithUser({ on: mixed });
    const stale = await accountWithUser({ on: mixed, stale: true });
    const notClean = await passman(['batch', 'check', '--target', mixed.name, '--wait']);
    expect(notClean.code).toBe(1);
    expect(notClean.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      expect.stringMatching(/: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)$/),
      // With the job's id, as `check --wait` prints it.
      expect.stringMatching(new RegExp(`^NotInSync: ${stale.reference.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(AUTH_REJECTED, job [0-9a-f-]{36}\\)$`)),
    ]);
    const statuses = await passman(['-o', 'json', 'accounts', 'list', '--target', mixed.name, '--status', 'NotInSync']);
    expect((JSON.parse(statuses.stdout) as { id: string }[]).map((a) => a.id)).toEqual([stale.id]);

    expect(await passman(['batch', 'check', '--wait'])).toMatchObject({ code: 2, stderr: 'passman: name the accounts: --target, --folder, --status or --q\n' });
  });

  it('batch reset --wait: every account gets a new password on the host, which OpenSSH proves; the old ones no longer log in', async () => {
    const on = await freshTarget();
    const accounts = [await accountWithUser({ on }), await accountWithUser({ on })];
    const reset = await passman(['batch', 'reset', '--target', on.name, '--wait']);
    expect([reset.code, reset.stderr]).toEqual([0, '']);
    expect(reset.stdout.trimEnd().split('\n').at(-1)).toMatch(/: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)$/);
    for (const account of accounts) {
      expect((await shell(`$PASSMAN checkout --field password ${account.reference} | ${sshLogin(account.name)}`)).code).toBe(0);
      await passman(['checkin', account.reference]);
      expect((await shell(`printf '%s' "$OLD" | ${sshLogin(account.name)}`, { OLD: account.password })).code).not.toBe(0);
    }
  });

  it('batch check --wait on a terminal: one line redrawn as a bar, ending full', async () => {
    const on = await freshTarget();
    await accountWithUser({ on });
    await accountWithUser({ on });
    const onTty = await shell(`script -qec "$PASSMAN batch check --target ${on.name} --wait" /dev/null`);
    expect(onTty.code).toBe(0);
    expect(onTty.stdout).toMatch(/\r\[#{30}\] batch [0-9a-f-]+: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)/);
  });
});

describe('passman targets, accounts add and audit verify', () => {
  it('registers a target, pins its host key, adds an account with its password piped, and checks it', async () => {
    const name = `cli-new-${randomBytes(4).toString('hex')}`;
    expect(await passman(['targets', 'add', name, target.host, '--port', String(target.port)])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^added target ${name} `)),
    });
    const scanned = await passman(['targets', 'scan', name]);
    const fingerprint = scanned.stdout.split(' ')[1]!;
    expect(target.fingerprints).toContain(fingerprint);
    expect(await passman(['targets', 'approve', name, fingerprint])).toMatchObject({ code: 0, stdout: `pinned ${fingerprint} for ${name}\n` });

    const user = `cli${randomBytes(4).toString('hex')}`;
    const password = newPassword();
    await target.addUsers([{ name: user, password }]);
    const added = await shell(`printf '%s\n' "$PW" | $PASSMAN accounts add --stdin "${name}/${user}"`, { PW: password });
    expect(added).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^added account ${name}/${user} `)) });
    const checked = await passman(['check', '--wait', `${name}/${user}`]);
    expect(checked).toEqual({ code: 0, stdout: `InSync: ${name}/${user} (job ${jobIdIn(checked.stdout)})\n`, stderr: '' });
  });

  it('audit verify: exit 0 on the intact chain, 3 for a user who may not read it', async () => {
    const admin = await createUser(server.api, 'admin');
    const session = createPassman({ url: server.url, tls: { fingerprint256: server.fingerprint256 } });
    await session.login({ username: admin.username, password: admin.password });
    const adminToken = (await session.tokens.create({ body: { name: 'cli-audit', scopes: ['audit.view'] } })).token;
    await session.close();
    const verified = await passman(['audit', 'verify'], { PASSMAN_TOKEN: adminToken });
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit chain intact: \d+ events\n$/) });
    expect(await passman(['audit', 'verify'])).toMatchObject({ code: 3 });
  });
});
