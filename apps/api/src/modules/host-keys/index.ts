/** Target host keys: which are trusted, approving new ones. */
export { createHostKeysRepo, type HostKeysRepo } from './host-keys.repo.js';
export { createHostKeysService, type HostKeysService } from './host-keys.service.js';
export { hostKeyBindings } from './host-keys.routes.js';
export { createHostKeyTrust, type HostKeyTrust } from './host-key-trust.js';
