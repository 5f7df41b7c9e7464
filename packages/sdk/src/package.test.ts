import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startImpostor } from './test/impostor.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['@passman/contracts', '@passman/api-client', '@passman/sdk'];

let dir: string;
let app: string;

/** The SDK as an integrator gets it: packed (with the two workspace packages it needs) and installed in an empty directory. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passman-sdk-pack-'));
  app = join(dir, 'app');
  await run(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/sdk'], { cwd: ROOT });
  for (const name of PACKAGES) await run('npm', ['pack', '--silent', '-w', name, '--pack-destination', dir], { cwd: ROOT });
  const tarballs = readdirSync(dir)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(dir, file));
  expect(tarballs).toHaveLength(3);
  await run('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'integrator', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], { cwd: app });
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed SDK', () => {
  it('runs from its dist/ in plain Node ESM: pins a certificate, refuses another', async () => {
    const server = await startImpostor();
    try {
      writeFileSync(
        join(app, 'smoke.mjs'),
        `import { createPassman, TlsError } from '@passman/sdk';
const [url, pin, wrong] = process.argv.slice(2);
const right = createPassman({ url, token: process.env.TOKEN, tls: { fingerprint256: pin } });
const error = await right.whoami().catch((e) => e);
console.log(error.name, error.code, error.status);
const other = createPassman({ url, token: process.env.TOKEN, tls: { fingerprint256: wrong } });
const refused = await other.whoami().catch((e) => e);
console.log(refused instanceof TlsError, refused.code);
await right.close();
await other.close();
`,
      );
      const wrong = server.fingerprint256.replace(/^../, (first) => (first === 'AA' ? 'BB' : 'AA'));
      const { stdout } = await run(process.execPath, ['smoke.mjs', server.url, server.fingerprint256, wrong], {
        cwd: app,
        env: { PATH: process.env.PATH ?? '', TOKEN: 'pm_not_a_real_token' },
      });
      expect(stdout.trim().split('\n')).toEqual(['AuthenticationError UNAUTHENTICATED 401', 'true TLS_FINGERPRINT_MISMATCH']);
      expect(server.requests).toEqual(['GET /api/v1/auth/me']);
    } finally {
      await server.close();
    }
  });

  it('brings its types: a wrong call does not compile', async () => {
    writeFileSync(
      join(app, 'typed.ts'),
      `import { createPassman, type Job } from '@passman/sdk';
const pm = createPassman({ url: 'https://passman.example.test' });
export async function check(id: string): Promise<Job> {
  return pm.waitForJob((await pm.jobs.check({ params: { id } })).id);
}
export async function names(): Promise<string[]> {
  const names: string[] = [];
  for await (const account of pm.accounts.list.all({ query: { status: 'NotInSync' } })) names.push(account.username);
  return names;
}
// @ts-expect-error the reset body needs its credential type
void pm.jobs.reset({ params: { id: 'x' }, body: { generate: true } });
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['typed.ts'],
      }),
    );
    await expect(run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: app })).resolves.toBeDefined();

    // The same file with the expected error removed must fail: the types are real, not `any`.
    writeFileSync(
      join(app, 'typed.ts'),
      `import { createPassman } from '@passman/sdk';\nvoid createPassman({ url: 'x' }).jobs.reset({ params: { id: 'x' }, body: { generate: true } });\n`,
    );
    await expect(run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: app })).rejects.toMatchObject({
      stdout: expect.stringContaining('credentialType'),
    });
  }, 120_000);
});
