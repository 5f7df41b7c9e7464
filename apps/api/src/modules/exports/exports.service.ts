import { MAX_KDBX_EXPORT_ACCOUNTS, type KdbxExportRequest } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { AppError } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AccessService } from '../access/index.js';
import type { ApprovalsService } from '../approvals/index.js';
import type { AuditService } from '../audit/index.js';
import { assertUnsealed, openedSecret } from '../credentials/secret-material.js';
import type { StepUpGuard } from '../step-up/index.js';
import { buildKdbx, type KdbxEntry } from './kdbx-file.js';
import type { ExportCandidate, ExportCredential, ExportsRepo } from './exports.repo.js';

/** How many of the accounts lacking a right an error names (the count is always whole). */
const NAMED = 50;

/**
 * The secrets export: the current secrets of many accounts in one KeePass file. It is a checkout
 * of each, so it needs what a checkout of each needs — the checkout right (role and tree), any
 * approval a checkout needs, a fresh authentication — and leaves an audit event per account.
 * An account held under an exclusive checkout is refused, as a checkout of it would be.
 * All or nothing: when any matching account falls short, nothing is exported and the problem
 * says how many and which (the caller sees them all already), so the user narrows the filter
 * or asks for the rights; a file silently missing accounts could be taken for complete.
 * The audit events are committed before a secret is decrypted: if the trail cannot record the
 * export, nothing is revealed.
 */
export function createExportsService(deps: {
  repo: ExportsRepo;
  access: AccessService;
  stepUp: StepUpGuard;
  approvals: Pick<ApprovalsService, 'consume' | 'recordUse'>;
  audit: AuditService;
  vault: Vault;
}) {
  const { repo, access } = deps;

  async function candidatesOf(ctx: RequestContext, request: KdbxExportRequest): Promise<ExportCandidate[]> {
    if (request.folderId) await access.rightsOn(ctx.actor, { type: 'folder', id: request.folderId });
    if (request.targetId) await access.rightsOn(ctx.actor, { type: 'target', id: request.targetId });
    const found = await repo.candidates(await access.listScopeOf(ctx.actor), request, MAX_KDBX_EXPORT_ACCOUNTS + 1);
    if (found.length === 0) throw new AppError('UNPROCESSABLE', 'No account you may see matches this export’s filters');
    if (found.length > MAX_KDBX_EXPORT_ACCOUNTS) {
      throw new AppError('UNPROCESSABLE', `An export takes at most ${MAX_KDBX_EXPORT_ACCOUNTS} accounts; narrow it to a folder or a target`);
    }
    return found;
  }

  function refuseLacking(lacking: ExportCandidate[], total: number): never {
    throw new AppError(
      'FORBIDDEN',
      `You may not check out ${lacking.length} of the ${total} accounts this export takes; nothing was exported. Narrow the export or ask for the checkout right on them.`,
      {
        details: {
          lacking: lacking.length,
          total,
          accounts: lacking.slice(0, NAMED).map((a) => ({ id: a.id, username: a.username, targetName: a.targetName })),
        },
      },
    );
  }

  return {
    async kdbx(ctx: RequestContext, request: KdbxExportRequest): Promise<{ file: Buffer; accounts: number }> {
      assertUnsealed(deps.vault);
      const candidates = await candidatesOf(ctx, request);
      const ids = candidates.map((c) => c.id);
      const { credentials } = await repo.transaction(async (r, tx) => {
        const present = new Set(await r.lockAccounts(ids));
        // Asked again once the accounts are locked, so a right revoked meanwhile is seen.
        const { refused } = await access.within(tx).sortAccounts(ctx.actor, ids, 'checkout');
        const refusedIds = new Set([...refused.map((x) => x.accountId), ...ids.filter((id) => !present.has(id))]);
        if (refusedIds.size > 0)
          refuseLacking(
            candidates.filter((c) => refusedIds.has(c.id)),
            candidates.length,
          );
        await deps.stepUp.require(ctx, tx);
        const held = new Set(await r.heldExclusively(ids));
        if (held.size > 0) {
          const accounts = candidates.filter((c) => held.has(c.id));
          throw new AppError(
            'CONFLICT',
            `${held.size} of the ${ids.length} accounts are checked out exclusively now; nothing was exported. Export them once they are checked in.`,
            {
              details: {
                held: held.size,
                total: ids.length,
                accounts: accounts.slice(0, NAMED).map((a) => ({ id: a.id, username: a.username, targetName: a.targetName })),
              },
            },
          );
        }
        const approvals = [];
        let missingApprovals = 0;
        for (const id of ids) {
          try {
            approvals.push(await deps.approvals.consume(tx, ctx, id, 'checkout'));
          } catch (error) {
            if (!(error instanceof AppError) || error.code !== 'APPROVAL_REQUIRED') throw error;
            missingApprovals += 1;
          }
        }
        if (missingApprovals > 0) {
          throw new AppError(
            'APPROVAL_REQUIRED',
            `${missingApprovals} of the ${ids.length} accounts need an approved request for checkout before they can be exported; nothing was exported`,
            { details: { missing: missingApprovals, total: ids.length } },
          );
        }
        const credentials = await r.currentCredentials(ids);
        for (const approval of approvals) await deps.approvals.recordUse(tx, ctx, approval);
        const approvalOf = new Map(approvals.filter((a) => a !== null).map((a) => [a.accountId, a.id]));
        await deps.audit.recordMany(
          candidates.map((account) => ({
            ctx,
            event: {
              action: 'credential.export',
              objectType: 'account',
              objectId: account.id,
              details: {
                accountId: account.id,
                format: 'kdbx',
                credentials: credentials
                  .filter((c) => c.accountId === account.id && c.versions.length > 0)
                  .map((c) => ({ credentialId: c.id, type: c.type, slot: c.slot, version: c.versions[0]!.version })),
                ...(request.reason ? { reason: request.reason } : {}),
                ...(approvalOf.has(account.id) ? { approvalId: approvalOf.get(account.id)! } : {}),
              },
            },
          })),
          tx,
        );
        return { credentials };
      });
      const folders = new Map((await repo.folders()).map((f) => [f.id, f]));
      const pathOf = (folderId: string): string[] => {
        const path: string[] = [];
        // The root (no parent) is the file's own root group.
        for (let f = folders.get(folderId); f?.parentId; f = folders.get(f.parentId)) path.unshift(f.name);
        return path;
      };
      const entries = candidates.map((account) =>
        entryOf(
          account,
          pathOf(account.folderId),
          credentials.filter((c) => c.accountId === account.id),
          deps.vault,
        ),
      );
      return { file: await buildKdbx(request.password, 'PassMan export', entries), accounts: candidates.length };
    },
  };
}

function entryOf(account: ExportCandidate, folderPath: string[], credentials: ExportCredential[], vault: Vault): KdbxEntry {
  let password: string | null = null;
  const extra: Record<string, string> = {};
  for (const credential of credentials) {
    const version = credential.versions[0];
    if (!version) continue;
    const secret = openedSecret(vault, version);
    if (credential.type === 'PASSWORD') password = secret;
    else if (credential.type === 'PIN') extra.PIN = secret;
    else extra[`SSH private key (${credential.slot})`] = secret;
  }
  return {
    path: [...folderPath, account.targetName],
    title: `${account.username}@${account.targetName}`,
    username: account.username,
    url: `ssh://${account.targetAddress}:${account.targetPort}`,
    notes: account.description,
    password,
    extra,
  };
}

export type ExportsService = ReturnType<typeof createExportsService>;
