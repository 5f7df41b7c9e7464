/**
 * Factories: one per entity, with unique names so tests sharing the run's database never collide;
 * most take overrides. Each makes its row the way PassMan does:
 * - through the module's repo where the repo alone makes a valid row (user, target, account, an
 *   offered host key): no audit event, so a test reading an object's events sees only its own;
 * - through the service where the row needs the service's rules (a credential sealed in the vault,
 *   a policy, a host-key approval's signature, jobs and batches put on the queue, audit events);
 * - over HTTP where that is the point: a session is a login, a token is made by a session.
 */
export { createUser, createUsers, type TestUser } from './factories/user.js';
export { loginAs, loginWith, type LoggedIn } from './factories/session.js';
export { bearerFor, createToken, type TestToken } from './factories/token.js';
export { createTarget } from './factories/target.js';
export { createHostKey, type HostKeyOverrides } from './factories/host-key.js';
export { createAccount } from './factories/account.js';
export { createCredential } from './factories/credential.js';
export { createPolicy } from './factories/policy.js';
export { createCheckJob } from './factories/job.js';
export { createCheckBatch } from './factories/batch.js';
export { createAuditEvent, type AuditEventOverrides } from './factories/audit-event.js';
export { factoryContext } from './factories/context.js';
export { createFolder, createGroup, createGrant, type GrantSpec } from './factories/vault-tree.js';
export { createApprovalRequest, createApprovalRule } from './factories/approval.js';
