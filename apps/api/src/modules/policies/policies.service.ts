import { policyIssues, type CreatePolicyRequest, type UpdatePolicyRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { sshKeyTypeToDb } from '../../lib/ssh-key-type.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../auth/actor.js';
import { presentPolicy } from './policies.presenter.js';
import type { PoliciesRepo } from './policies.repo.js';

export function createPoliciesService(deps: { repo: PoliciesRepo; audit: AuditService }) {
  return {
    async list(limit: number, cursor?: string) {
      const after = cursor !== undefined ? String(decodeCursor(cursor, 1)[0]) : undefined;
      const rows = await deps.repo.list(limit + 1, after);
      const page = rows.slice(0, limit);
      return { items: page.map(presentPolicy), nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.name]) : null };
    },

    async get(id: string) {
      const row = await deps.repo.get(id);
      if (!row) throw notFound('Policy');
      return presentPolicy(row);
    },

    /** The policy of an account: its own, else the default. */
    async effective(policyId: string | null) {
      const row = (policyId ? await deps.repo.get(policyId) : null) ?? (await deps.repo.getDefault());
      if (!row) throw new AppError('CONFLICT', 'There is no default policy; create one with isDefault: true');
      return presentPolicy(row);
    },

    async create(ctx: RequestContext, input: CreatePolicyRequest) {
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (input.isDefault) await repo.clearDefault();
        const created = await repo.create({ ...input, sshKeyType: sshKeyTypeToDb(input.sshKeyType) });
        await deps.audit.record(ctx, { action: 'policy.create', objectType: 'policy', objectId: created.id, details: { name: created.name, isDefault: created.isDefault } }, tx);
        return created;
      });
      return presentPolicy(row);
    },

    async update(ctx: RequestContext, id: string, input: UpdatePolicyRequest) {
      const row = await deps.repo.transaction(async (repo, tx) => {
        const before = await repo.get(id);
        if (!before) throw notFound('Policy');
        if (before.isDefault && input.isDefault === false) {
          throw new AppError('CONFLICT', 'Make another policy the default instead of unsetting this one');
        }
        // Cross-field rules hold for the policy as it will be, not just the fields sent.
        const issues = policyIssues({ ...presentPolicy(before), ...input });
        if (issues.length > 0) {
          throw new AppError('VALIDATION_FAILED', 'The policy would be inconsistent', {
            errors: issues.map((i) => ({ path: `body.${i.path}`, message: i.message })),
          });
        }
        if (input.isDefault) await repo.clearDefault();
        const updated = await repo.update(id, { ...input, sshKeyType: input.sshKeyType ? sshKeyTypeToDb(input.sshKeyType) : undefined });
        await deps.audit.record(ctx, { action: 'policy.update', objectType: 'policy', objectId: id, details: { name: updated.name, fields: Object.keys(input).sort() } }, tx);
        return updated;
      });
      return presentPolicy(row);
    },

    async delete(ctx: RequestContext, id: string) {
      await deps.repo.transaction(async (repo, tx) => {
        const row = await repo.get(id);
        if (!row) throw notFound('Policy');
        if (row.isDefault) throw new AppError('CONFLICT', 'The default policy cannot be deleted; make another one the default first');
        await repo.delete(id);
        await deps.audit.record(ctx, { action: 'policy.delete', objectType: 'policy', objectId: id, details: { name: row.name, accounts: row._count.accounts } }, tx);
      });
    },
  };
}

export type PoliciesService = ReturnType<typeof createPoliciesService>;
