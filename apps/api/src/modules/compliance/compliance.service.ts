import type { Policy, PolicyCompliance } from '@passman/contracts';
import { isVaultError, type Vault } from '@passman/vault';
import type { Tx } from '../../db/transaction.js';
import { sshKeyTypeFromDb } from '../../lib/ssh-key-type.js';
import { memoize } from '../../lib/memoize.js';
import { complianceOf, secretCompliance, sshKeyCompliance } from '../credentials/compliance.js';
import { assertUnsealed, openedSecret } from '../credentials/secret-material.js';
import type { AccountScope, ComplianceRepo } from './compliance.repo.js';

/** Accounts read, assessed and written per round of statements. */
const PAGE_SIZE = 500;

/** What a re-assessment did, for the audit event of the change that caused it (counts only; a type, so it is JSON for the audit trail). */
export type ComplianceReassessment = {
  /** Accounts whose secrets were assessed again. */
  accounts: number;
  /** Of those, how many now have another compliance. */
  changed: number;
  /** Secrets that could not be decrypted (damaged, or under a master key not loaded): their flags are kept. */
  unreadable: number;
};

type AssessedAccount = Awaited<ReturnType<ComplianceRepo['secretsToAssess']>>[number];
type AssessedCredential = AssessedAccount['credentials'][number];

/**
 * Assesses the stored secrets of the accounts in `scope` again, against the policy each
 * follows as the caller's transaction sees it (`policyOf`), and stores the versions' flags
 * and the accounts' compliance in that transaction, so a policy change and the compliance
 * it implies commit together. A page of accounts costs a few statements, whatever its size.
 * Passwords and PINs are decrypted here only to be checked; nothing but counts leaves.
 */
async function reassessCompliance(
  deps: { repo: ComplianceRepo; vault: Vault },
  tx: Tx,
  input: { scope: AccountScope; policyOf: (policyId: string | null) => Promise<Policy> },
): Promise<ComplianceReassessment> {
  const repo = deps.repo.within(tx);
  const policyOf = memoize(input.policyOf);
  const result: ComplianceReassessment = { accounts: 0, changed: 0, unreadable: 0 };

  for (let afterId: string | null = null; ;) {
    const accounts = await repo.secretsToAssess(input.scope, afterId, PAGE_SIZE);
    // Each write sets one value on many rows: at most three statements per table.
    const versionsByFlag = new Map<boolean | null, string[]>();
    const accountsByCompliance = new Map<PolicyCompliance | null, string[]>();
    for (const account of accounts) {
      const policy = await policyOf(account.policyId);
      const currentFlags: (boolean | null)[] = [];
      for (const credential of account.credentials) {
        for (const version of credential.versions) {
          const assessed = assessVersion(deps.vault, credential, version, policy);
          if (assessed === 'unreadable') result.unreadable += 1;
          const flag = assessed === 'unreadable' ? version.compliant : assessed;
          if (flag !== version.compliant) append(versionsByFlag, flag, version.id);
          if (version.state === 'CURRENT') currentFlags.push(flag);
        }
      }
      const compliance = complianceOf(currentFlags);
      if (compliance !== account.compliance) {
        append(accountsByCompliance, compliance, account.id);
        result.changed += 1;
      }
    }
    // Lock order (db/transaction.ts): accounts before their credentials' versions.
    for (const [compliance, ids] of accountsByCompliance) await repo.setAccountsCompliance(ids, compliance);
    for (const [flag, ids] of versionsByFlag) await repo.setVersionsCompliant(ids, flag);
    result.accounts += accounts.length;
    if (accounts.length < PAGE_SIZE) return result;
    afterId = accounts.at(-1)!.id;
  }
}

function assessVersion(
  vault: Vault,
  credential: AssessedCredential,
  version: AssessedCredential['versions'][number],
  policy: Policy,
): boolean | null | 'unreadable' {
  if (credential.type === 'SSH_KEY') {
    // A key is judged by its stored public facts: nothing to decrypt.
    return credential.sshKeyType && version.keyBits !== null
      ? sshKeyCompliance({ type: sshKeyTypeFromDb(credential.sshKeyType), bits: version.keyBits }, policy)
      : null;
  }
  assertUnsealed(vault);
  let secret: string;
  try {
    secret = openedSecret(vault, version);
  } catch (error) {
    if (isVaultError(error)) return 'unreadable';
    throw error;
  }
  return secretCompliance(credential.type, secret, policy);
}

function append<K>(groups: Map<K, string[]>, key: K, id: string): void {
  const ids = groups.get(key);
  if (ids) ids.push(id);
  else groups.set(key, [id]);
}

/**
 * Compliance re-assessment, its own module so that policies (which trigger it) and credentials
 * (whose secrets it reads) do not depend on each other.
 */
export function createComplianceService(deps: { repo: ComplianceRepo; vault: Vault }) {
  return {
    reassess: (tx: Tx, input: { scope: AccountScope; policyOf: (policyId: string | null) => Promise<Policy> }) => reassessCompliance(deps, tx, input),
  };
}

export type ComplianceService = ReturnType<typeof createComplianceService>;
