import { execFileSync } from 'node:child_process';
import { request, type FullConfig } from '@playwright/test';
import type { SshTargetGroup } from '@passman/testkit';
import { fileURLToPath } from 'node:url';
import { ADMIN_STATE, exportEnvironment } from './env.js';
import type { PassmanServer } from './passman-server.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds PassMan (unless PASSMAN_E2E_SKIP_BUILD=1), starts it on a fresh database, starts real
 * sshd targets, signs the admin in once for the specs that do not test signing in, and returns
 * the teardown that stops all of it.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (process.env.PASSMAN_E2E_SKIP_BUILD !== '1') {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // Imported after the build: on a fresh clone @passman/testkit's dist/ exists only now.
  const { startSshTargets } = await import('@passman/testkit');
  const { startPassman } = await import('./passman-server.js');
  let server: PassmanServer | undefined;
  let targets: SshTargetGroup | undefined;
  const teardown = async (): Promise<void> => {
    await Promise.allSettled([server?.stop(), targets?.stop()]);
  };
  try {
    [server, targets] = await Promise.all([
      startPassman(),
      // OpenSSH 9.2 refuses ssh-dss and SHA-1 ssh-rsa signatures unless the target allows them.
      startSshTargets({ count: 2, pubkeyAcceptedAlgorithms: '+ssh-dss,ssh-rsa' }),
    ]);
    exportEnvironment({
      baseURL: server.baseURL,
      adminUsername: server.adminUsername,
      adminPassword: server.adminPassword,
      certificateFingerprint: server.certificateFingerprint,
      sshTargets: targets.targets.map((target) => target.describe()),
    });
    // PassMan's certificate is self-signed: the fingerprint check is in specs/tls.spec.ts.
    const api = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
    const login = await api.post('/api/v1/auth/login', {
      data: { username: server.adminUsername, password: server.adminPassword },
    });
    if (!login.ok()) throw new Error(`admin login failed: ${login.status()} ${await login.text()}`);
    await api.storageState({ path: ADMIN_STATE });
    await api.dispose();
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
