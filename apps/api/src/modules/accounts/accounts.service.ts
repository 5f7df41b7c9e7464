import type { AccountListQuery, AccountSort, CreateAccountRequest, TargetAccountListQuery, UpdateAccountRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { changedFields, changeLog } from '../../lib/changes.js';
import { decodeKeyset, encodeKeyset } from '../../lib/keyset.js';
import type { AuditDetails, AuditService } from '../audit/index.js';
import type { RequestContext } from '../../lib/actor.js';
import type { PoliciesService } from '../policies/policies.service.js';
import { presentAccount } from './accounts.presenter.js';
import { accountSortSpec, type AccountFilter, type AccountsRepo } from './accounts.repo.js';

const CURSOR_SCOPE = 'accounts';

const unknownReference = (field: 'targetId' | 'policyId', what: string) =>
  new AppError('UNPROCESSABLE', `${what} does not exist`, { errors: [{ path: `body.${field}`, message: `${what} does not exist` }] });

export function createAccountsService(deps: {
  repo: AccountsRepo;
  audit: AuditService;
  policies: Pick<PoliciesService, 'reassessCompliance'>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  async function page(filter: AccountFilter, sort: AccountSort, limit: number, cursor: string | undefined) {
    const spec = accountSortSpec(sort);
    const after = cursor ? decodeKeyset(CURSOR_SCOPE, sort, cursor, spec.parts) : undefined;
    const rows = await deps.repo.list(filter, sort, after, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(presentAccount),
      nextCursor: rows.length > limit && last ? encodeKeyset(CURSOR_SCOPE, sort, spec.keyOf(last)) : null,
    };
  }

  async function load(id: string) {
    const row = await deps.repo.get(id);
    if (!row) throw notFound('Account');
    return row;
  }

  return {
    list: ({ limit, cursor, sort, ...filter }: AccountListQuery) => page(filter, sort, limit, cursor),

    /** The Accounts pop-up of a target: 404 for an unknown target rather than an empty page. */
    async listOfTarget(targetId: string, { limit, cursor, sort, ...filter }: TargetAccountListQuery) {
      if (!(await deps.repo.targetExists(targetId))) throw notFound('Target');
      return page({ ...filter, targetId }, sort, limit, cursor);
    },

    get: async (id: string) => presentAccount(await load(id)),

    async create(ctx: RequestContext, input: CreateAccountRequest) {
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.targetExists(input.targetId))) throw unknownReference('targetId', 'Target');
        if (input.policyId && !(await repo.policyExists(input.policyId))) throw unknownReference('policyId', 'Policy');
        const { id } = await repo.create(input);
        const created = (await repo.get(id))!;
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
      return presentAccount(row);
    },

    async update(ctx: RequestContext, id: string, input: UpdateAccountRequest) {
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Account');
        const before = (await repo.get(id))!;
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
        const after = (await repo.get(id))!;
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
      return presentAccount(row);
    },

    /** Deletes the account with its credentials and jobs; refused while someone holds it checked out. */
    async delete(ctx: RequestContext, id: string) {
      await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Account');
        const row = (await repo.get(id))!;
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
