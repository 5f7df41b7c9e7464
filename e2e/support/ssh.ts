import type { OpenSshLoginOptions, RunResult, SshTargetDescriptor, SshTargetHandle } from '@passman/testkit';

// @passman/testkit is loaded on first use, not at import: specs are collected before the
// global setup has built its dist/ on a fresh clone.

/** Logs in with OpenSSH's own `ssh` (passwords through `sshpass -e`, never argv). */
export async function opensshLogin(options: OpenSshLoginOptions): Promise<RunResult> {
  const testkit = await import('@passman/testkit');
  return testkit.opensshLogin(options);
}

/** A handle on an sshd target the global setup started. */
export async function attachSshTarget(descriptor: SshTargetDescriptor): Promise<SshTargetHandle> {
  const testkit = await import('@passman/testkit');
  return testkit.attachSshTarget(descriptor);
}
