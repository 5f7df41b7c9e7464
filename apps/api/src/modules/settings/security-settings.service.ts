import { SECURITY_SETTING_LIMITS, type SecuritySettings, type SecuritySettingsResponse, type UpdateSecuritySettingsRequest } from '@passman/contracts';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { SECURITY_SETTING_KEYS, type SecuritySettingName, type SecuritySettingsRepo } from './security-settings.repo.js';

const NAMES = Object.keys(SECURITY_SETTING_KEYS) as SecuritySettingName[];

/** A stored value outside the limits (edited by hand in the database) is ignored, never trusted. */
function parseStored(name: SecuritySettingName, raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) return undefined;
  const value = Number(raw);
  const { min, max } = SECURITY_SETTING_LIMITS[name];
  return value >= min && value <= max ? value : undefined;
}

interface Stored {
  /** The settings an administrator has set; the others come from the environment. */
  overrides: Partial<SecuritySettings>;
  updatedAt: Date | null;
}

/**
 * Session timeouts and the step-up window: administrators change them (audited, before and after);
 * the environment gives the defaults. Every request reads them, so they are kept a few seconds in
 * memory; a change applies in this process at once, in others within that time.
 */
export function createSecuritySettingsService(deps: {
  repo: SecuritySettingsRepo;
  audit: AuditService;
  defaults: SecuritySettings;
  ttlMs?: number;
  nowMs?: () => number;
}) {
  const ttlMs = deps.ttlMs ?? 5_000;
  const nowMs = deps.nowMs ?? Date.now;
  let cached: { at: number; value: Stored } | null = null;

  async function load(repo: Pick<SecuritySettingsRepo, 'read'>): Promise<Stored> {
    const { values, updatedAt } = await repo.read();
    const overrides: Partial<SecuritySettings> = {};
    for (const name of NAMES) {
      const value = parseStored(name, values.get(SECURITY_SETTING_KEYS[name]));
      if (value !== undefined) overrides[name] = value;
    }
    return { overrides, updatedAt };
  }

  const present = (stored: Stored): SecuritySettingsResponse => ({
    ...deps.defaults,
    ...stored.overrides,
    updatedAt: stored.updatedAt?.toISOString() ?? null,
  });

  /** `tx`: read in the caller's transaction (no second connection from the pool). */
  async function overrides(tx?: Tx): Promise<Partial<SecuritySettings>> {
    if (cached && nowMs() - cached.at < ttlMs) return cached.value.overrides;
    const value = await load(tx ? deps.repo.within(tx) : deps.repo);
    cached = { at: nowMs(), value };
    return value.overrides;
  }

  return {
    /** Only what an administrator set (cached): callers with finer defaults of their own keep them for the rest. */
    overrides,

    /** Every setting in force (cached). */
    current: async (tx?: Tx): Promise<SecuritySettings> => ({ ...deps.defaults, ...(await overrides(tx)) }),

    get: async () => present(await load(deps.repo)),

    async update(ctx: RequestContext, input: UpdateSecuritySettingsRequest): Promise<SecuritySettingsResponse> {
      const after = await deps.repo.transaction(async (repo, tx) => {
        await repo.lock();
        const before = present(await load(repo));
        const changed = NAMES.filter((name) => input[name] !== undefined && input[name] !== before[name]);
        if (changed.length === 0) return before;
        for (const name of changed) await repo.put(SECURITY_SETTING_KEYS[name], String(input[name]));
        await deps.audit.record(
          ctx,
          {
            action: 'settings.security.update',
            objectType: 'settings',
            objectId: null,
            details: {
              before: Object.fromEntries(changed.map((n) => [n, before[n]])),
              after: Object.fromEntries(changed.map((n) => [n, input[n]!])),
            },
          },
          tx,
        );
        return present(await load(repo));
      });
      cached = null;
      return after;
    },
  };
}

export type SecuritySettingsService = ReturnType<typeof createSecuritySettingsService>;
