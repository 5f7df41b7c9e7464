/** The secrets of an account: their slots, versions and how they are produced and sealed. */
export { createCredentialsRepo, type CredentialsRepo } from './credentials.repo.js';
export { createCredentialsService, type CredentialsService } from './credentials.service.js';
export { credentialBindings } from './credentials.routes.js';
export { assertUnsealed, openedSecret, produceSecret, sealedVersion, slotOf, type SecretMaterial } from './secret-material.js';
export { complianceOf, complianceRulesDiffer, secretCompliance, sshKeyCompliance } from './compliance.js';
export { creatorIds, presentVersion } from './credentials.presenter.js';
