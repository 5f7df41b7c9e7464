export * from './db/index.js';
export * from './sshd/index.js';
export * from './slapd/index.js';
export * from './rsyslog/index.js';
export { recordLogLine, recordMasterKey, findSecretLeaks, leakedSecrets, privateParts } from './jest/secret-leaks.js';
export * from './oidc/index.js';
