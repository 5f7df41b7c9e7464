import { randomUUID } from 'node:crypto';
import type { CreateCredentialRequest } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { AppError, notFound } from '../../lib/app-error.js';
import { sshKeyTypeToDb } from '../../lib/ssh-key-type.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import type { PoliciesService } from '../policies/policies.service.js';
import type { AccessService } from '../access/index.js';
import { creatorIds, presentCredential, presentVersion } from './credentials.presenter.js';
import type { CredentialsRepo } from './credentials.repo.js';
import { assertUnsealed, produceSecret, sealedVersion, slotOf } from './secret-material.js';

export function createCredentialsService(deps: { repo: CredentialsRepo; vault: Vault; policies: PoliciesService; audit: AuditService; access: AccessService }) {
  return {
    async list(ctx: RequestContext, accountId: string) {
      await deps.access.require(ctx, { type: 'account', id: accountId }, 'view');
      const rows = await deps.repo.listOfAccount(accountId);
      const names = await deps.repo.usernames(creatorIds(rows.flatMap((r) => r.versions)));
      return { items: rows.map((r) => presentCredential(r, names)) };
    },

    async versions(ctx: RequestContext, credentialId: string) {
      const credential = await deps.repo.get(credentialId);
      if (!credential) throw notFound('Credential');
      // A credential of an account the caller cannot see does not exist, for them.
      await deps.access.require(ctx, { type: 'account', id: credential.accountId }, 'view').catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'NOT_FOUND' ? notFound('Credential') : error;
      });
      const rows = await deps.repo.versions(credentialId);
      const names = await deps.repo.usernames(creatorIds(rows));
      return { items: rows.map((r) => presentVersion(r, names)) };
    },

    /** Adds a secret slot with its first version (CURRENT): the vault copy only, nothing is sent to the target. */
    async create(ctx: RequestContext, accountId: string, input: CreateCredentialRequest) {
      assertUnsealed(deps.vault);
      await deps.access.require(ctx, { type: 'account', id: accountId }, 'update');
      const account = await deps.repo.getAccount(accountId);
      if (!account) throw notFound('Account');
      const policy = await deps.policies.effective(account.policyId);
      const material = await produceSecret(input, policy);
      const credentialId = randomUUID();
      const row = await deps.repo.transaction(async (repo, tx) => {
        // Lock order (db/transaction.ts): the account first — it may have been deleted since it was read — the audit chain last.
        if (!(await repo.lockAccount(accountId))) throw notFound('Account');
        const created = await repo.createWithFirstVersion(
          {
            id: credentialId,
            accountId,
            type: input.type,
            sshKeyType: material.sshKeyType ? sshKeyTypeToDb(material.sshKeyType) : null,
            slot: slotOf(input.type, material.sshKeyType),
          },
          sealedVersion(deps.vault, material, { credentialId, version: 1, state: 'CURRENT', createdById: ctx.actor?.userId ?? null }),
        );
        await repo.recomputeCompliance(accountId);
        await repo.markUnverified(accountId);
        await deps.audit.record(
          ctx,
          {
            action: 'credential.create',
            objectType: 'credential',
            objectId: created.id,
            details: {
              accountId,
              type: input.type,
              slot: created.slot,
              origin: material.origin,
              version: 1,
              ...(material.fingerprint ? { fingerprint: material.fingerprint } : {}),
              compliant: material.compliant,
            },
          },
          tx,
        );
        return created;
      });
      const names = await deps.repo.usernames(creatorIds(row.versions));
      return presentCredential(row, names);
    },
  };
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;
