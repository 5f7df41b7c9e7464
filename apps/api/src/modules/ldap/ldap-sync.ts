import { randomUUID } from 'node:crypto';
import type { LdapSyncSummary } from '@passman/contracts';
import type { Logger } from 'pino';
import { systemContext, type RequestContext } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { grantOf, LDAP_ACTOR, type LdapAccounts } from './ldap-accounts.js';
import { DirectoryError, type Directory } from './ldap-directory.js';
import { LDAP_LAST_SYNC_KEY, type StoredLdapSettings } from './ldap-settings.js';
import type { LdapRepo } from './ldap.repo.js';

/** The claim of the periodic sync: the time the last one started, so one process in a cluster runs each. */
export const LDAP_SYNC_CLAIM_KEY = 'ldap.sync_claim';

/**
 * The directory sync: every user linked to the directory is looked up by its DN. One still
 * there (and still matching the user filter) gets its role, display name and mapped groups
 * updated; one gone, or in no mapped group without a default role, is disabled (sessions
 * ended, tokens revoked). Users already disabled are left alone: re-enabling is an admin's call.
 */
export function createLdapSync(deps: {
  repo: LdapRepo;
  accounts: LdapAccounts;
  audit: AuditService;
  settings: () => Promise<StoredLdapSettings>;
  directory: (settings: StoredLdapSettings) => Promise<Directory>;
  now: () => Date;
  logger?: Logger;
}) {
  async function run(ctx: RequestContext): Promise<LdapSyncSummary> {
    const at = deps.now();
    const settings = await deps.settings();
    const summary: LdapSyncSummary = { at: at.toISOString(), ok: false, checked: 0, updated: 0, disabled: 0, error: null };
    const finish = async (): Promise<LdapSyncSummary> => {
      await deps.repo.putSetting(LDAP_LAST_SYNC_KEY, JSON.stringify(summary));
      await deps.audit.record(ctx, {
        action: 'ldap.sync',
        objectType: 'settings',
        objectId: null,
        outcome: summary.ok ? 'success' : 'failure',
        actorName: ctx.actor ? undefined : LDAP_ACTOR,
        details: { checked: summary.checked, updated: summary.updated, disabled: summary.disabled, error: summary.error },
      });
      return summary;
    };
    if (!settings.enabled) {
      summary.error = 'LDAP is not enabled';
      return finish();
    }
    const links = await deps.repo.linkedUsers();
    let found: Awaited<ReturnType<Directory['readUsers']>>;
    try {
      found = await (await deps.directory(settings)).readUsers(links.map((l) => l.subject));
    } catch (err) {
      if (!(err instanceof DirectoryError)) throw err;
      summary.error = `${err.code}: ${err.message}`;
      return finish();
    }
    // A wrong base DN or filter finds nobody; that must not disable every directory user at once.
    if (links.length > 1 && found.size === 0) {
      summary.error = `the directory found none of the ${links.length} linked users; nothing was changed (check the base DN and the user filter)`;
      return finish();
    }
    for (const link of links) {
      summary.checked++;
      if (link.user.disabledAt) continue;
      const user = found.get(link.subject);
      const grant = user ? grantOf(settings, user) : null;
      if (!user || !grant?.role) {
        if (await deps.accounts.disable(ctx, link.userId, user ? 'no-mapped-role' : 'gone-from-directory')) summary.disabled++;
        continue;
      }
      if (await deps.accounts.update(ctx, settings, link.userId, link.id, user, { ...grant, role: grant.role })) summary.updated++;
    }
    summary.ok = true;
    return finish();
  }

  /** Whether this process should run the periodic sync now; claims it if so (another process then does not). */
  async function claim(intervalMs: number): Promise<boolean> {
    const raw = await deps.repo.getSetting(LDAP_SYNC_CLAIM_KEY);
    const now = deps.now();
    if (raw && now.getTime() - new Date(raw).getTime() < intervalMs) return false;
    return deps.repo.compareAndSetSetting(LDAP_SYNC_CLAIM_KEY, raw, now.toISOString());
  }

  /** One tick of the timer: runs the sync when its interval has passed since the last one. */
  async function tick(): Promise<LdapSyncSummary | null> {
    const settings = await deps.settings();
    if (!settings.enabled || settings.syncIntervalMinutes === 0) return null;
    if (!(await claim(settings.syncIntervalMinutes * 60_000))) return null;
    return run(systemContext(`ldap:sync:${randomUUID()}`));
  }

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> | undefined;
  return {
    run,
    tick,
    /** Runs `tick` every `tickMs` (a minute by default) in this process. */
    start(tickMs = 60_000) {
      timer = setInterval(() => {
        ticking ??= tick()
          .catch((err: unknown) => deps.logger?.warn({ err }, 'LDAP sync failed'))
          .finally(() => (ticking = undefined));
      }, tickMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await ticking;
    },
  };
}

export type LdapSync = ReturnType<typeof createLdapSync>;
