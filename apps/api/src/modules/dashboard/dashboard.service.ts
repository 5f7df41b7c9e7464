import type { ActivityItem, Dashboard, QuickSaveRequest, QuickSaveResponse } from '@passman/contracts';
import type { RequestContext } from '../../lib/actor.js';
import type { AccessService } from '../access/index.js';
import type { AccountsService } from '../accounts/index.js';
import type { CredentialsService } from '../credentials/index.js';
import type { JobsService } from '../jobs/index.js';
import type { TargetsService } from '../targets/index.js';
import type { DashboardRepo } from './dashboard.repo.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ACTIVITY_LIMIT = 50;

export function createDashboardService(deps: {
  repo: DashboardRepo;
  access: AccessService;
  targets: Pick<TargetsService, 'create'>;
  accounts: Pick<AccountsService, 'create'>;
  credentials: Pick<CredentialsService, 'create'>;
  jobs: Pick<JobsService, 'requestCheck' | 'requestReset'>;
}) {
  return {
    async summary(ctx: RequestContext, now = new Date()): Promise<Dashboard> {
      const since = new Date(now.getTime() - DAY_MS);
      const c = await deps.repo.counts(await deps.access.listScopeOf(ctx.actor), since);
      return {
        accounts: {
          total: c.total,
          inSync: c.inSync,
          notInSync: c.notInSync,
          unknown: c.unknown,
          noncompliant: c.noncompliant,
          checkedOut: c.checkedOut,
          rotationOverdue: c.rotationOverdue,
        },
        targets: { hostKeysPending: c.hostKeysPending },
        jobs: { failed: c.failedJobs, unverified: c.unverifiedJobs },
        since: since.toISOString(),
      };
    },

    async activity(ctx: RequestContext): Promise<{ items: ActivityItem[] }> {
      const rows = await deps.repo.activity(await deps.access.listScopeOf(ctx.actor), new Date(Date.now() - DAY_MS), ACTIVITY_LIMIT);
      return {
        items: rows.map((r) => ({
          seq: r.seq,
          at: r.at.toISOString(),
          actorName: r.actorName,
          action: r.action,
          outcome: r.outcome,
          account: r.accountId ? { id: r.accountId, username: r.username ?? '', targetName: r.targetName ?? '' } : null,
        })),
      };
    },

    /**
     * Quick Password Saving: target and account found by name (created when missing — the services
     * that create them ask for the tree's manage right), the password saved in the vault only, then
     * checked. Each step is the ordinary audited operation; a retry after a failure reuses what the
     * first attempt created.
     */
    async quickSave(ctx: RequestContext, input: QuickSaveRequest): Promise<QuickSaveResponse> {
      const folderId = input.folderId ?? (await deps.access.rootFolderId());
      await deps.access.require(ctx, { type: 'folder', id: folderId }, 'view');
      const existingTarget = await deps.repo.targetInFolder(input.targetName, folderId);
      if (existingTarget) await deps.access.require(ctx, { type: 'target', id: existingTarget.id }, 'view');
      const target = existingTarget
        ? { ...existingTarget, created: false }
        : {
            ...(await deps.targets.create(ctx, {
              name: input.targetName,
              address: input.address ?? input.targetName,
              port: input.port ?? 22,
              connectorKind: 'ssh',
              description: '',
              tags: [],
              folderId,
            })),
            created: true,
          };
      const existingAccount = await deps.repo.accountOnTarget(target.id, input.username);
      if (existingAccount) await deps.access.require(ctx, { type: 'account', id: existingAccount.id }, 'view');
      const account = existingAccount
        ? { ...existingAccount, created: false }
        : { ...(await deps.accounts.create(ctx, { targetId: target.id, username: input.username, description: '', policyId: null })), created: true };
      const password = account.created ? null : await deps.repo.passwordOf(account.id);
      let job;
      if (password) {
        // A vault-only reset checks the saved value itself when it is stored: InSync again only if it works.
        job = await deps.jobs.requestReset(ctx, account.id, {
          credentialId: password.id,
          credentialType: 'PASSWORD',
          newSecret: input.password,
          changeOnTarget: false,
          acknowledgeLossOfSync: true,
        });
      } else {
        await deps.credentials.create(ctx, account.id, { type: 'PASSWORD', value: input.password });
        job = await deps.jobs.requestCheck(ctx, account.id);
      }
      return {
        target: { id: target.id, name: target.name, created: target.created },
        account: { id: account.id, username: account.username, created: account.created },
        job,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
