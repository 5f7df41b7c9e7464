import type { AccountListQuery, AccountSort, CreateAccountRequest, TargetAccountListQuery, UpdateAccountRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { changedFields, changeLog } from '../../lib/changes.js';
import { decodeKeyset, encodeKeyset } from '../../lib/keyset.js';
import type { AuditDetails, AuditService } from '../audit/index.js';
import type { RequestContext } from '../../lib/actor.js';
import type { PoliciesService } from '../policies/policies.service.js';
import type { AccessService } from '../access/index.js';
import { presentAccount } from './accounts.presenter.js';
import { accountSortSpec, type AccountFilter, type AccountRow, type AccountsRepo } from './accounts.repo.js';

const CURSOR_SCOPE = 'accounts';

const unknownReference = (field: 'targetId' | 'policyId', what: string) =>
  new AppError('UNPROCESSABLE', `${what} does not exist`, { errors: [{ path: `body.${field}`, message: `${what} does not exist` }] });

export function createAccountsService(deps: {
  repo: AccountsRepo;
  audit: AuditService;
  policies: Pick<PoliciesService, 'reassessCompliance'>;
  access: AccessService;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const { access } = deps;
  const present = (ctx: RequestContext, row: AccountRow) => presentAccount(row, access.withinRole(ctx.actor, 'account', row.treeRights));
  /** The account as the caller sees it (after their access was checked). */
  const reload = async (ctx: RequestContext, repo: Pick<AccountsRepo, 'get'>, id: string) => (await repo.get(access.scopeOf(ctx.actor), id))!;

  async function page(ctx: RequestContext, filter: AccountFilter, sort: AccountSort, limit: number, cursor: string | undefined) {
    const spec = accountSortSpec(sort);
    const after = cursor ? decodeKeyset(CURSOR_SCOPE, sort, cursor, spec.parts) : undefined;
    const rows = await access.listWithReach(ctx.actor, (scope) => deps.repo.list(scope, filter, sort, after, limit + 1));
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => present(ctx, r)),
      nextCursor: rows.length > limit && last ? encodeKeyset(CURSOR_SCOPE, sort, spec.keyOf(last)) : null,
    };
  }

  return {
    async list(ctx: RequestContext, { limit, cursor, sort, ...filter }: AccountListQuery) {
      // A folder or target the caller cannot see answers 404, as it would if it did not exist.
      if (filter.folderId) await access.rightsOn(ctx.actor, { type: 'folder', id: filter.folderId });
      if (filter.targetId) await access.rightsOn(ctx.actor, { type: 'target', id: filter.targetId });
      return page(ctx, filter, sort, limit, cursor);
    },

    /** The Accounts pop-up of a target: 404 for an unknown (or unseen) target rather than an empty page. */
    async listOfTarget(ctx: RequestContext, targetId: string, { limit, cursor, sort, ...filter }: TargetAccountListQuery) {
      await access.rightsOn(ctx.actor, { type: 'target', id: targetId });
      return page(ctx, { ...filter, targetId }, sort, limit, cursor);
    },

    async get(ctx: RequestContext, id: string) {
      await access.require(ctx, { type: 'account', id }, 'view');
      const row = await deps.repo.get(access.scopeOf(ctx.actor), id);
      if (!row) throw notFound('Account');
      return present(ctx, row);
    },

    async create(ctx: RequestContext, input: CreateAccountRequest) {
      // A target the caller cannot see is one that does not exist, for them.
      await access.require(ctx, { type: 'target', id: input.targetId }, 'manage').catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'NOT_FOUND' ? unknownReference('targetId', 'Target') : error;
      });
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.targetExists(input.targetId))) throw unknownReference('targetId', 'Target');
        if (input.policyId && !(await repo.policyExists(input.policyId))) throw unknownReference('policyId', 'Policy');
        const { id } = await repo.create(input);
        const created = await reload(ctx, repo, id);
        await deps.audit.record(
          ctx,
          {
            action: 'account.create',
            objectType: 'account',
            objectId: id,
            details: { username: created.username, targetId: created.targetId, targetName: created.targetName, policyId: created.policyId },
          },
          tx,
        );
        return created;
      });
      return present(ctx, row);
    },

    async update(ctx: RequestContext, id: string, input: UpdateAccountRequest) {
      await access.require(ctx, { type: 'account', id }, 'manage');
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Account');
        const before = await reload(ctx, repo, id);
        const fields = changedFields(before, input);
        if (fields.length === 0) return before;
        if (input.policyId && fields.includes('policyId') && !(await repo.policyExists(input.policyId))) {
          throw unknownReference('policyId', 'Policy');
        }
        await repo.update(id, Object.fromEntries(fields.map((f) => [f, input[f]])));
        // A check proved the old username's credentials, not the new one's.
        if (fields.includes('username')) await repo.markUnverified(id);
        // Another policy: its secrets are judged by its rules from now on, in this transaction.
        const complianceReassessed = fields.includes('policyId') ? await deps.policies.reassessCompliance(tx, { accountIds: [id] }) : undefined;
        const after = await reload(ctx, repo, id);
        await deps.audit.record(
          ctx,
          {
            action: 'account.update',
            objectType: 'account',
            objectId: id,
            details: {
              username: after.username,
              targetId: after.targetId,
              fields,
              changes: changeLog(
                before,
                input,
                fields.filter((f) => f !== 'description'),
              ) as AuditDetails,
              ...(complianceReassessed ? { complianceReassessed } : {}),
            },
          },
          tx,
        );
        return after;
      });
      return present(ctx, row);
    },

    /** Deletes the account with its credentials and jobs; refused while someone holds it checked out. */
    async delete(ctx: RequestContext, id: string) {
      await access.require(ctx, { type: 'account', id }, 'manage');
      await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Account');
        const row = await reload(ctx, repo, id);
        if (row.checkedOutById && (!row.checkoutExpiresAt || Date.parse(row.checkoutExpiresAt) > now().getTime())) {
          throw new AppError('CONFLICT', `Account ${row.username} on ${row.targetName} is checked out; check it in before deleting it`);
        }
        const dependents = await repo.dependents(id);
        await repo.delete(id);
        await deps.audit.record(
          ctx,
          {
            action: 'account.delete',
            objectType: 'account',
            objectId: id,
            details: {
              username: row.username,
              targetId: row.targetId,
              targetName: row.targetName,
              wasManagingAccount: row.isManagingAccount,
              credentials: dependents.credentials,
              jobs: dependents.jobs,
            },
          },
          tx,
        );
      });
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
