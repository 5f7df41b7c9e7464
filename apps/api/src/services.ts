import type { Database } from '@passman/db';
import type { TargetConnector } from '@passman/connectors';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import type { Binding } from './http/bind-routes.js';
import { createStreamLimiter, type StreamLimits } from './http/stream-limiter.js';
import { accountBindings } from './modules/accounts/accounts.routes.js';
import { createAccountsRepo } from './modules/accounts/accounts.repo.js';
import { createAccountsService } from './modules/accounts/accounts.service.js';
import type { AuditKeys } from './modules/audit/audit-key.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { auditBindings } from './modules/audit/audit.routes.js';
import { createAuthRepo } from './modules/auth/auth.repo.js';
import { authBindings } from './modules/auth/auth.routes.js';
import { createAuthService, type SessionPolicy } from './modules/auth/auth.service.js';
import { createSessionCache } from './modules/auth/session-cache.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createPasswordHasher, type PasswordHasher } from './modules/auth/password-hasher.js';
import { createCredentialsRepo } from './modules/credentials/credentials.repo.js';
import { credentialBindings } from './modules/credentials/credentials.routes.js';
import { createCredentialsService } from './modules/credentials/credentials.service.js';
import { createCheckoutRepo } from './modules/checkout/checkout.repo.js';
import { createCheckoutService } from './modules/checkout/checkout.service.js';
import { createHostKeysRepo } from './modules/host-keys/host-keys.repo.js';
import { hostKeyBindings } from './modules/host-keys/host-keys.routes.js';
import { createHostKeysService } from './modules/host-keys/host-keys.service.js';
import { createHostKeyTrust } from './modules/host-keys/host-key-trust.js';
import type { JobEventHub } from './modules/jobs/job-events.js';
import type { JobQueue } from './modules/jobs/job-queue.js';
import { jobBindings } from './modules/jobs/jobs.routes.js';
import { createJobsService } from './modules/jobs/jobs.service.js';
import { createHealthRepo } from './modules/health/health.repo.js';
import { createHealthService } from './modules/health/health.service.js';
import { createPoliciesRepo } from './modules/policies/policies.repo.js';
import { policyBindings } from './modules/policies/policies.routes.js';
import { createPoliciesService } from './modules/policies/policies.service.js';
import { createTargetsRepo } from './modules/targets/targets.repo.js';
import { targetBindings } from './modules/targets/targets.routes.js';
import { createTargetsService } from './modules/targets/targets.service.js';
import { createSessionsRepo } from './modules/sessions/sessions.repo.js';
import { sessionBindings } from './modules/sessions/sessions.routes.js';
import { createSessionsService } from './modules/sessions/sessions.service.js';
import { createTokensRepo } from './modules/tokens/tokens.repo.js';
import { tokenBindings } from './modules/tokens/tokens.routes.js';
import { createTokensService } from './modules/tokens/tokens.service.js';
import { createUsersRepo } from './modules/users/users.repo.js';
import { userBindings } from './modules/users/users.routes.js';
import { createUsersService } from './modules/users/users.service.js';

export interface ServiceOptions {
  db: Database;
  session: SessionPolicy;
  cookieSecure: boolean;
  migrationNames: string[];
  vault: Vault;
  /** The audit trail's keys (modules/audit/audit-key.ts); null when sealed: audited actions then answer 503. */
  auditKeys: AuditKeys | null;
  logger?: Logger;
  connector: TargetConnector;
  queue: JobQueue;
  events: JobEventHub;
  /** Caps on open event streams (defaults: DEFAULT_STREAM_LIMITS). */
  streamLimits?: StreamLimits;
  hasher?: PasswordHasher;
  /** PASSMAN_TOKENS_CAN_CREATE_TOKENS: may a request authenticated by a token create tokens? */
  tokensCanCreateTokens: boolean;
}

/** The composition root: every service wired to its repo and collaborators, plus the route bindings. */
export function createServices(options: ServiceOptions) {
  const { db } = options;
  const hasher = options.hasher ?? createPasswordHasher();
  const audit = createAuditService({ db, keys: options.auditKeys, logger: options.logger });
  const hostKeyTrust = createHostKeyTrust(options.auditKeys);
  const authRepo = createAuthRepo(db);
  const sessionCache = createSessionCache();
  const auth = createAuthService({
    repo: authRepo,
    hasher,
    throttle: createLoginThrottle({ repo: authRepo }),
    audit,
    session: options.session,
    sessionCache,
  });
  const tokens = createTokensService({ repo: createTokensRepo(db), audit, tokensCanCreateTokens: options.tokensCanCreateTokens });
  const sessions = createSessionsService({ repo: createSessionsRepo(db), audit, sessionCache });
  const usersRepo = createUsersRepo(db);
  const users = createUsersService({ repo: usersRepo, hasher, audit, sessionCache });
  const policies = createPoliciesService({ repo: createPoliciesRepo(db), audit, vault: options.vault });
  const targets = createTargetsService({ repo: createTargetsRepo(db), audit, hostKeyTrust });
  const accounts = createAccountsService({ repo: createAccountsRepo(db), audit, policies });
  const credentials = createCredentialsService({ repo: createCredentialsRepo(db), vault: options.vault, policies, audit });
  const jobs = createJobsService({ db, vault: options.vault, queue: options.queue, policies, audit });
  const checkout = createCheckoutService({ repo: createCheckoutRepo(db), vault: options.vault, audit, policies, jobs });
  const hostKeys = createHostKeysService({ repo: createHostKeysRepo(db), connector: options.connector, audit, trust: hostKeyTrust });
  const health = createHealthService({ repo: createHealthRepo(db), migrationNames: options.migrationNames, vault: options.vault });

  const eventStreams = createStreamLimiter(options.streamLimits);
  const bindings: Binding[] = [
    ...authBindings({ auth, cookieSecure: options.cookieSecure, session: options.session }),
    ...sessionBindings({ sessions }),
    ...tokenBindings({ tokens }),
    ...userBindings({ users }),
    ...auditBindings({ audit }),
    ...policyBindings({ policies }),
    ...credentialBindings({ credentials }),
    ...jobBindings({ jobs, checkout, events: options.events, streams: eventStreams, auth }),
    ...hostKeyBindings({ hostKeys }),
    ...targetBindings({ targets, accounts }),
    ...accountBindings({ accounts }),
  ];

  return { hasher, audit, auth, tokens, sessions, users, usersRepo, policies, targets, accounts, credentials, jobs, checkout, hostKeys, hostKeyTrust, vault: options.vault, health, eventStreams, bindings };
}

export type Services = ReturnType<typeof createServices>;
