import { opensshLogin, startSshTarget, type SshTarget } from '@passman/testkit';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount, registerTarget } from './jobs.test-util.js';

/** What the Check, Reset and bulk API tests share: an API with its worker, an operator, one real sshd target. */
export interface JobsApi {
  pm: TestApi;
  operator: LoggedIn;
  target: SshTarget;
  targetId: string;
}

export async function startJobsApi(): Promise<JobsApi> {
  const [pm, target] = await Promise.all([createTestApi(), startSshTarget({ pubkeyAcceptedAlgorithms: '+ssh-dss,ssh-rsa' })]);
  pm.startWorker({ leaseMs: 5_000 });
  const operator = await loginAs(pm, 'operator');
  return { pm, target, operator, targetId: await registerTarget(operator, target) };
}

export async function stopJobsApi(jobs: Partial<JobsApi> | undefined): Promise<void> {
  await jobs?.pm?.close();
  await jobs?.target?.stop();
}

/** A queue no worker takes jobs from: for jobs a test stores and looks at without running. */
export const notRun = { name: 'not-run-by-any-worker' };

/** Helpers over the test file's JobsApi (read when called: it is made in beforeAll). */
export function jobsHelpers(current: () => JobsApi) {
  const ssh = (user: string, credential: { password: string } | { privateKey: string }) => opensshLogin({ target: current().target, user, credential });

  async function userWithAccount(password = newPassword()) {
    const { target, operator, targetId } = current();
    const name = newUser();
    await target.addUsers([{ name, password }]);
    const accountId = await registerAccount(operator, targetId, name, password);
    return { name, password, accountId };
  }

  async function checkout(accountId: string, body: object = {}) {
    return (await client(current().operator).post(`/accounts/${accountId}/checkout`, body).expect(200)).body;
  }

  return { ssh, userWithAccount, checkout };
}
