/** The master key: opening (or sealing) the vault at start, and re-wrapping data keys under a new master key. */
export { createSettingsRepo, type SettingsRepo } from './settings.repo.js';
export { createVaultRepo, type VaultRepo } from './vault.repo.js';
export { createVaultService, type RewrapResult, type VaultService } from './vault.service.js';
export { openVault, type OpenedVault } from './vault-state.js';
