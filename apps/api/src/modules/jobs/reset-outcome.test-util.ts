import { expect } from '@jest/globals';
import { OUTCOME_UNKNOWN, type Job } from '@passman/contracts';
import { opensshLogin, startSshTarget, type SshTarget } from '@passman/testkit';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount, registerTarget, waitForJob } from './jobs.test-util.js';

/**
 * Resets that end OUTCOME_UNKNOWN on a real sshd: the worker's fault hook at `after-applied` (the
 * target took the change, nothing verified yet) makes the target refuse both secrets — a locked
 * password, or authorized_keys moved away — so neither the new nor the previous one logs in. Once
 * the job has settled, `release` lets logins in again: the target then holds the secret the test chose.
 */
export interface OutcomeApi {
  pm: TestApi;
  operator: LoggedIn;
  target: SshTarget;
  targetId: string;
  /** Runs `fn` when the next reset reaches `after-applied`. */
  atApplied(fn: () => Promise<void>): void;
}

export async function startOutcomeApi(options: Parameters<typeof createTestApi>[0] = {}): Promise<OutcomeApi> {
  const [pm, target] = await Promise.all([createTestApi(options), startSshTarget({})]);
  let armed: (() => Promise<void>) | null = null;
  pm.startWorker({
    leaseMs: 5_000,
    faults: {
      hit: async (point) => {
        if (point !== 'after-applied' || !armed) return;
        const fn = armed;
        armed = null;
        await fn();
      },
    },
  });
  const operator = await loginAs(pm, 'operator');
  return { pm, target, operator, targetId: await registerTarget(operator, target), atApplied: (fn) => (armed = fn) };
}

export async function stopOutcomeApi(api: Partial<OutcomeApi> | undefined): Promise<void> {
  await api?.pm?.close();
  await api?.target?.stop();
}

const run = async (target: SshTarget, argv: string[], input?: string) => {
  const result = await target.run(argv, input);
  // The command and its stderr show in the failure's diff.
  expect([argv.join(' '), result.code, result.stderr]).toEqual([argv.join(' '), 0, expect.any(String)]);
};

export function outcomeHelpers(current: () => OutcomeApi) {
  const ssh = (user: string, credential: { password: string } | { privateKey: string }) => opensshLogin({ target: current().target, user, credential });

  async function userWithAccount() {
    const { target, operator, targetId } = current();
    const name = newUser('o');
    const password = newPassword();
    await target.addUsers([{ name, password }]);
    return { name, password, accountId: await registerAccount(operator, targetId, name, password) };
  }

  /**
   * A password reset that ends OUTCOME_UNKNOWN; afterwards the target holds the new password
   * (`NEW`) or, put back behind PassMan's back before the lock, the previous one (`PREVIOUS`).
   */
  async function passwordResetLeftUnknown(holds: 'NEW' | 'PREVIOUS') {
    const { target, operator, atApplied } = current();
    const account = await userWithAccount();
    atApplied(async () => {
      if (holds === 'PREVIOUS') await run(target, ['chpasswd'], `${account.name}:${account.password}\n`);
      await run(target, ['usermod', '-L', account.name]);
    });
    const job = await settledUnknown(operator, account.accountId, { credentialType: 'PASSWORD', generate: true });
    await run(target, ['usermod', '-U', account.name]);
    return { ...account, job };
  }

  /** A key reset that ends OUTCOME_UNKNOWN; afterwards authorized_keys holds both the previous key and the new one. */
  async function keyResetLeftUnknown() {
    const { target, operator, atApplied } = current();
    const account = await userWithAccount();
    const body = { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true };
    const first = await waitForJob(operator, (await client(operator).post(`/accounts/${account.accountId}/reset`, body).expect(202)).body.id);
    expect(first.state).toBe('succeeded');
    const keys = `/home/${account.name}/.ssh/authorized_keys`;
    atApplied(() => run(target, ['mv', keys, `${keys}.off`]));
    const job = await settledUnknown(operator, account.accountId, body);
    await run(target, ['mv', `${keys}.off`, keys]);
    return { ...account, job };
  }

  return { ssh, userWithAccount, passwordResetLeftUnknown, keyResetLeftUnknown };
}

async function settledUnknown(operator: LoggedIn, accountId: string, body: object): Promise<Job> {
  const res = await client(operator).post(`/accounts/${accountId}/reset`, body).expect(202);
  const job = await waitForJob(operator, res.body.id);
  expect([job.state, job.errorCode]).toEqual(['unverified', OUTCOME_UNKNOWN]);
  return job;
}

/** POST /jobs/{id}/confirm-outcome as `who`. */
export const confirm = (who: LoggedIn, jobId: string, body: object) => client(who).post(`/jobs/${jobId}/confirm-outcome`, body);
