import type { SshTargetDescriptor } from '@passman/testkit';

/** What the global setup hands to the test workers (through environment variables). */
export interface E2eEnvironment {
  baseURL: string;
  adminUsername: string;
  adminPassword: string;
  /** SHA-256 fingerprint of PassMan's self-signed certificate, as it printed it. */
  certificateFingerprint: string;
  /** Real sshd targets (OpenSSH in mount namespaces on 127.0.10.x:2222). */
  sshTargets: SshTargetDescriptor[];
}

const KEY = 'PASSMAN_E2E_ENV';

export function exportEnvironment(env: E2eEnvironment): void {
  process.env[KEY] = JSON.stringify(env);
}

export function e2eEnvironment(): E2eEnvironment {
  const raw = process.env[KEY];
  if (!raw) throw new Error(`${KEY} is not set: run the specs with \`npm run test:e2e\``);
  return JSON.parse(raw) as E2eEnvironment;
}

export const ADMIN_STATE = new URL('../.auth/admin.json', import.meta.url).pathname;
