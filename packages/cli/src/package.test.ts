import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startImpostor } from '../../sdk/src/test/impostor.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['@passman/contracts', '@passman/api-client', '@passman/sdk', '@passman/cli'];

let dir: string;
let app: string;

/** passman as a user gets it: the four packages packed and installed in an empty directory. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passman-cli-pack-'));
  app = join(dir, 'app');
  await run(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/cli'], { cwd: ROOT });
  for (const name of PACKAGES) await run('npm', ['pack', '--silent', '-w', name, '--pack-destination', dir], { cwd: ROOT });
  const tarballs = readdirSync(dir)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(dir, file));
  expect(tarballs).toHaveLength(4);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pipeline', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], { cwd: app });
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed passman', () => {
  it('runs from node_modules/.bin with its exit codes: help 0, a server refusing the token 3', async () => {
    const bin = join(app, 'node_modules/.bin/passman');
    const help = await run(bin, ['--help'], { cwd: app });
    expect(help.stdout).toContain('Usage: passman [options] [command]');

    const server = await startImpostor();
    try {
      const refused = await run(bin, ['whoami'], {
        cwd: app,
        env: {
          PATH: process.env.PATH ?? '',
          PASSMAN_CONFIG_DIR: join(dir, 'none'),
          PASSMAN_URL: server.url,
          PASSMAN_FINGERPRINT: server.fingerprint256,
          PASSMAN_TOKEN: 'pm_test',
        },
      }).catch((error: unknown) => error as { code: number; stderr: string });
      expect(refused).toMatchObject({ code: 3, stderr: 'passman: not authenticated: Unauthorized (UNAUTHENTICATED)\n' });
      expect(server.requests).toEqual(['GET /api/v1/auth/me']);
    } finally {
      await server.close();
    }
  });
});
