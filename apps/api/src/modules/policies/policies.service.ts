import { policyIssues, type CreatePolicyRequest, type Policy, type UpdatePolicyRequest } from '@passman/contracts';
import type { Tx } from '../../db/transaction.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeKeyset, encodeKeyset, keyParts } from '../../lib/keyset.js';
import { sshKeyTypeToDb } from '../../lib/ssh-key-type.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AccountScope, ComplianceService } from '../compliance/index.js';
import { complianceRulesDiffer } from '../credentials/compliance.js';
import { presentPolicy } from './policies.presenter.js';
import type { PoliciesRepo } from './policies.repo.js';
import type { AccessService } from '../access/index.js';

type PolicyReads = Pick<PoliciesRepo, 'get' | 'getDefault'>;

/** The policy of an account: its own, else the default. */
async function effectiveIn(repo: PolicyReads, policyId: string | null): Promise<Policy> {
  const row = (policyId ? await repo.get(policyId) : null) ?? (await repo.getDefault());
  if (!row) throw new AppError('CONFLICT', 'There is no default policy; create one with isDefault: true');
  return presentPolicy(row);
}

/**
 * Policies and the compliance they decide: whatever changes which rules an account's secrets
 * must meet (a policy's rules, the default, an account's policy) re-assesses those secrets in
 * the same transaction, so no one reads the new rules beside the old verdicts.
 */
export function createPoliciesService(deps: { repo: PoliciesRepo; audit: AuditService; compliance: ComplianceService; access: AccessService }) {
  /** A policy's account count, as the caller may see them: an operator learns nothing of accounts hidden from them. */
  async function presentAll(ctx: RequestContext, rows: Parameters<typeof presentPolicy>[0][]) {
    const scope = await deps.access.listScopeOf(ctx.actor);
    const policies = rows.map(presentPolicy);
    if (scope.kind === 'all') return policies;
    const counts = await deps.repo.visibleAccountCounts(
      scope,
      policies.map((p) => p.id),
    );
    return policies.map((p) => ({ ...p, accountCount: counts.get(p.id) ?? 0 }));
  }

  /** Re-assesses the accounts in `scope` against the policies they follow as `tx` sees them (or against `policyOf`). */
  const reassess = (tx: Tx, scope: AccountScope, policyOf?: () => Promise<Policy>) =>
    deps.compliance.reassess(tx, { scope, policyOf: policyOf ?? ((id) => effectiveIn(deps.repo.within(tx), id)) });

  return {
    async list(ctx: RequestContext, limit: number, cursor?: string) {
      const after = cursor !== undefined ? decodeKeyset('policies', 'name', cursor, [keyParts.text])[0] : undefined;
      const rows = await deps.repo.list(limit + 1, after);
      const page = rows.slice(0, limit);
      return { items: await presentAll(ctx, page), nextCursor: rows.length > limit ? encodeKeyset('policies', 'name', [page.at(-1)!.name]) : null };
    },

    async get(ctx: RequestContext, id: string) {
      const row = await deps.repo.get(id);
      if (!row) throw notFound('Policy');
      return (await presentAll(ctx, [row]))[0]!;
    },

    /** The policy of an account: its own, else the default. */
    effective: (policyId: string | null) => effectiveIn(deps.repo, policyId),

    /** The same, read in the caller's transaction (never a second connection while it holds one). */
    effectiveWithin: (tx: Tx, policyId: string | null) => effectiveIn(deps.repo.within(tx), policyId),

    /** For a change made elsewhere in `tx` (an account moved to another policy): re-assesses the accounts in `scope`. */
    reassessCompliance: (tx: Tx, scope: AccountScope) => reassess(tx, scope),

    async create(ctx: RequestContext, input: CreatePolicyRequest) {
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (input.isDefault) await repo.clearDefault();
        const created = await repo.create({ ...input, sshKeyType: sshKeyTypeToDb(input.sshKeyType) });
        // A new default: the accounts without a policy of their own follow it from now on.
        const complianceReassessed = created.isDefault ? await reassess(tx, { followsDefault: true }) : undefined;
        await deps.audit.record(
          ctx,
          {
            action: 'policy.create',
            objectType: 'policy',
            objectId: created.id,
            details: { name: created.name, isDefault: created.isDefault, ...(complianceReassessed ? { complianceReassessed } : {}) },
          },
          tx,
        );
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
        // Its own accounts when its rules changed; the accounts following the default too when it is the default and
        // its rules changed, or it just became the default.
        const rulesChanged = complianceRulesDiffer(presentPolicy(before), presentPolicy(updated));
        const scope = { policyIds: rulesChanged ? [id] : [], followsDefault: updated.isDefault && (rulesChanged || !before.isDefault) };
        const complianceReassessed = rulesChanged || scope.followsDefault ? await reassess(tx, scope) : undefined;
        await deps.audit.record(
          ctx,
          {
            action: 'policy.update',
            objectType: 'policy',
            objectId: id,
            details: { name: updated.name, fields: Object.keys(input).sort(), ...(complianceReassessed ? { complianceReassessed } : {}) },
          },
          tx,
        );
        return updated;
      });
      return presentPolicy(row);
    },

    async delete(ctx: RequestContext, id: string) {
      await deps.repo.transaction(async (repo, tx) => {
        const row = await repo.get(id);
        if (!row) throw notFound('Policy');
        if (row.isDefault) throw new AppError('CONFLICT', 'The default policy cannot be deleted; make another one the default first');
        // Its accounts fall back to the default (the foreign key nulls their policy): judge them by the default while this policy still finds them.
        const complianceReassessed = row._count.accounts > 0 ? await reassess(tx, { policyIds: [id] }, () => effectiveIn(repo, null)) : undefined;
        await repo.delete(id);
        await deps.audit.record(
          ctx,
          {
            action: 'policy.delete',
            objectType: 'policy',
            objectId: id,
            details: { name: row.name, accounts: row._count.accounts, ...(complianceReassessed ? { complianceReassessed } : {}) },
          },
          tx,
        );
      });
    },
  };
}

export type PoliciesService = ReturnType<typeof createPoliciesService>;
