import { test as base, expect } from '@playwright/test';
import type { SshTargetHandle } from '@passman/testkit';
import type { Account, Target } from '@passman/contracts';
import { ADMIN_STATE, e2eEnvironment } from './env.js';
import { PassmanApi } from './passman-api.js';
import { attachSshTarget } from './ssh.js';

let counter = 0;

export interface Fixtures {
  /** The REST API as the admin (for arranging and for reading results). */
  api: PassmanApi;
  /** A real sshd target (shared; each test adds its own users). */
  sshTarget: SshTargetHandle;
  /** A short unique name for this test's rows and users: letters and digits, starts with a letter. */
  uniq: string;
  /** A PassMan target pointing at `sshTarget`, host key approved. */
  approvedTarget: Target;
}

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => use(e2eEnvironment().baseURL),
  storageState: ADMIN_STATE,
  api: async ({}, use) => {
    const api = await PassmanApi.open();
    await use(api);
    await api.dispose();
  },
  sshTarget: async ({}, use, testInfo) => {
    const targets = e2eEnvironment().sshTargets;
    await use(await attachSshTarget(targets[testInfo.workerIndex % targets.length]!));
  },
  uniq: async ({}, use, testInfo) => {
    counter += 1;
    await use(`e${testInfo.workerIndex}${Date.now().toString(36)}${counter}`);
  },
  approvedTarget: async ({ api, sshTarget, uniq }, use) => {
    const target = await api.post<Target>('/targets', { name: `host-${uniq}`, address: sshTarget.host, port: sshTarget.port });
    const scanned = await api.post<{ fingerprint: string }>(`/targets/${target.id}/host-key/scan`);
    await api.post(`/targets/${target.id}/host-key/approve`, { fingerprint: scanned.fingerprint });
    await use(target);
  },
});

export { expect };

/** An account on `target` whose PASSWORD credential is `password` (a user made on the sshd target). */
export async function accountWithPassword(api: PassmanApi, sshTarget: SshTargetHandle, target: Target, username: string, password: string): Promise<Account> {
  await sshTarget.addUsers([{ name: username, password }]);
  const account = await api.post<Account>('/accounts', { targetId: target.id, username });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: password });
  return account;
}
