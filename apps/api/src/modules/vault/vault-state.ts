import { join } from 'node:path';
import {
  createKeyCheck,
  createVault,
  ensureMasterKeyFile,
  isVaultError,
  loadMasterKeyRing,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE_ENV,
  verifyKeyCheck,
  type Vault,
} from '@passman/vault';
import type { Logger } from 'pino';
import type { SettingsRepo } from './settings.repo.js';

export const KEY_CHECK_SETTING = 'vault.key_check';

export interface OpenedVault {
  vault: Vault;
  /** Set when PassMan generated the master key file on this start (embedded default). */
  generatedKeyFile?: string;
}

/**
 * Loads the master keys and proves them against the stored key check. Any problem leaves
 * the vault sealed (secret endpoints answer 503, /readyz says so) rather than stopping
 * PassMan, so operators can still log in, read the audit trail and fix the configuration.
 */
export async function openVault(deps: {
  env: NodeJS.ProcessEnv;
  settings: SettingsRepo;
  logger: Logger;
  /** The embedded default: generate a key file beside the data when no key is configured. */
  embeddedDataDir?: string;
}): Promise<OpenedVault> {
  let env = deps.env;
  let generatedKeyFile: string | undefined;
  if (!env[MASTER_KEY_ENV] && !env[MASTER_KEY_FILE_ENV] && deps.embeddedDataDir) {
    const file = await ensureMasterKeyFile(join(deps.embeddedDataDir, 'master.key'));
    if (file.created) generatedKeyFile = file.path;
    env = { ...env, [MASTER_KEY_FILE_ENV]: file.path };
  }

  let loaded;
  try {
    loaded = loadMasterKeyRing(env);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    deps.logger.warn({ code: error.code }, `vault sealed: ${error.message}`);
    return { vault: createVault({ keyRing: null, sealedReason: error.code }), generatedKeyFile };
  }
  for (const warning of loaded.warnings) deps.logger.warn(warning);

  const stored = await deps.settings.get(KEY_CHECK_SETTING);
  if (stored) {
    const check = verifyKeyCheck(loaded.keyRing, stored);
    if (!check.ok) {
      deps.logger.error(
        { code: check.code, mismatched: check.mismatched },
        'vault sealed: the master key does not match the one this database was encrypted with',
      );
      return { vault: createVault({ keyRing: null, sealedReason: check.code }), generatedKeyFile };
    }
    if (check.unrecorded.length > 0) await deps.settings.put(KEY_CHECK_SETTING, createKeyCheck(loaded.keyRing));
  } else {
    await deps.settings.put(KEY_CHECK_SETTING, createKeyCheck(loaded.keyRing));
  }
  const vault = createVault({ keyRing: loaded.keyRing });
  deps.logger.info({ activeKeyVersion: vault.activeKeyVersion, source: loaded.source }, 'vault unsealed');
  return { vault, generatedKeyFile };
}
