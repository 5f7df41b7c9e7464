import type { Database } from '@passman/db';
import type { TargetConnector } from '@passman/connectors';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import type { Binding } from './http/bind-routes.js';
import { createStreamLimiter, type StreamLimits } from './http/stream-limiter.js';
import { accountBindings, createAccountsRepo, createAccountsService } from './modules/accounts/index.js';
import { createAccessRepo, createAccessService } from './modules/access/index.js';
import { approvalBindings, createApprovalsRepo, createApprovalsService } from './modules/approvals/index.js';
import { createFoldersRepo, createFoldersService, folderBindings } from './modules/folders/index.js';
import { createGroupsRepo, createGroupsService, groupBindings } from './modules/groups/index.js';
import { createPermissionsRepo, createPermissionsService, permissionBindings } from './modules/permissions/index.js';
import { auditBindings, createAuditRepo, createAuditService, type AuditKeys } from './modules/audit/index.js';
import {
  authBindings,
  createAuthRepo,
  createAuthService,
  createLoginThrottle,
  createPasswordHasher,
  createSessionCache,
  type PasswordHasher,
  type SessionPolicy,
} from './modules/auth/index.js';
import { createCheckoutRepo, createCheckoutService } from './modules/checkout/index.js';
import { createComplianceRepo, createComplianceService } from './modules/compliance/index.js';
import { createCredentialsRepo, createCredentialsService, credentialBindings } from './modules/credentials/index.js';
import { createHealthRepo, createHealthService } from './modules/health/index.js';
import { createImportsRepo, createImportsService, importBindings } from './modules/imports/index.js';
import { createHostKeysRepo, createHostKeysService, createHostKeyTrust, hostKeyBindings } from './modules/host-keys/index.js';
import { createLdapRepo, createLdapService, ldapBindings } from './modules/ldap/index.js';
import {
  createJobsRepo,
  createJobsService,
  createResetOutcomeService,
  createWorkerRepo,
  jobBindings,
  type JobEventHub,
  type JobQueue,
} from './modules/jobs/index.js';
import { createRestoreRepo, createRestoreService, restoreBindings } from './modules/restore/index.js';
import { createDashboardRepo, createDashboardService, dashboardBindings } from './modules/dashboard/index.js';
import { createMfaRepo, createMfaService, createSecondFactorService, mfaBindings, relyingPartyOf, type WebAuthnRelyingParty } from './modules/mfa/index.js';
import { createOidcLoginService, createOidcRepo, createOidcSettingsService, createOidcSettingsStore, oidcBindings } from './modules/oidc/index.js';
import { createPoliciesRepo, createPoliciesService, policyBindings } from './modules/policies/index.js';
import { createSessionsRepo, createSessionsService, sessionBindings } from './modules/sessions/index.js';
import { createTargetsRepo, createTargetsService, targetBindings } from './modules/targets/index.js';
import { createTokensRepo, createTokensService, tokenBindings } from './modules/tokens/index.js';
import { createUsersRepo, createUsersService, userBindings } from './modules/users/index.js';
import { createSecuritySettingsRepo, createSecuritySettingsService, securitySettingsBindings } from './modules/settings/index.js';
import { auditStreamBindings, createAuditStreamRepo, createAuditStreamService, type StreamDestination } from './modules/audit-stream/index.js';
import { createReauthMethods, createStepUpRepo, createStepUpService, stepUpBindings } from './modules/step-up/index.js';
import { createReportsRepo, createReportsService, reportBindings } from './modules/reports/index.js';
import { createExportsRepo, createExportsService, exportBindings } from './modules/exports/index.js';
import { alertBindings, createAlertsRepo, createAlertsService } from './modules/alerts/index.js';
import { createWebhooksRepo, createWebhooksService, DEFAULT_WEBHOOK_URL_POLICY, webhookBindings, type WebhookUrlPolicy } from './modules/webhooks/index.js';

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
  /** PASSMAN_STEP_UP_WINDOW_SECONDS: the step-up window until an administrator sets one (default 5 minutes). */
  stepUpWindowSeconds?: number;
  /** The clock of the step-up rule (tests move it past the window). */
  stepUpNow?: () => Date;
  /** PASSMAN_APPROVAL_PENDING_HOURS: how long an approval request waits for a decision (default 24). */
  approvalPendingHours?: number;
  /** Where webhooks may point (PASSMAN_WEBHOOK_ALLOWED_HOSTS, PASSMAN_WEBHOOK_ALLOW_LINK_LOCAL). */
  webhookUrlPolicy?: WebhookUrlPolicy;
  /** The WebAuthn relying party (from PASSMAN_PUBLIC_URL); default: https://localhost:8080. */
  webauthn?: WebAuthnRelyingParty;
  /** The clock of second factors (TOTP steps, challenge expiry); tests set it. */
  mfaClock?: () => Date;
  /** Where the audit trail is streamed (PASSMAN_AUDIT_SYSLOG, PASSMAN_AUDIT_JSON), for its status route. */
  auditStreamDestinations?: Pick<StreamDestination, 'name' | 'kind' | 'target'>[];
}

/** The composition root: every service wired to its repo and collaborators, plus the route bindings. */
export function createServices(options: ServiceOptions) {
  const { db } = options;
  const hasher = options.hasher ?? createPasswordHasher();
  const audit = createAuditService({ repo: createAuditRepo(db), keys: options.auditKeys, logger: options.logger });
  const hostKeyTrust = createHostKeyTrust(options.auditKeys);
  const auditStream = createAuditStreamService({ repo: createAuditStreamRepo(db), destinations: options.auditStreamDestinations ?? [] });
  const authRepo = createAuthRepo(db);
  const sessionCache = createSessionCache();
  const loginThrottle = createLoginThrottle({ repo: authRepo });
  const securitySettings = createSecuritySettingsService({
    repo: createSecuritySettingsRepo(db),
    audit,
    defaults: {
      sessionIdleMinutes: Math.max(1, Math.round(options.session.idleMs / 60_000)),
      sessionMaxHours: Math.max(1, Math.round(options.session.maxAgeMs / 3_600_000)),
      stepUpWindowSeconds: options.stepUpWindowSeconds ?? 300,
    },
  });
  const ldap = createLdapService({ repo: createLdapRepo(db), vault: options.vault, audit, sessionCache, logger: options.logger });
  // auth and mfa call each other (a login's second step, the enrolment gate): through closures, at request time.
  const oidcRepo = createOidcRepo(db);
  const oidcStore = createOidcSettingsStore({ repo: oidcRepo, vault: options.vault });
  const oidcSettings = createOidcSettingsService({ repo: oidcRepo, store: oidcStore, audit });
  const sessionPolicy = async () => {
    const set = await securitySettings.overrides();
    return {
      idleMs: set.sessionIdleMinutes !== undefined ? set.sessionIdleMinutes * 60_000 : options.session.idleMs,
      maxAgeMs: set.sessionMaxHours !== undefined ? set.sessionMaxHours * 3_600_000 : options.session.maxAgeMs,
    };
  };
  const oidcLogin = createOidcLoginService({
    repo: oidcRepo,
    store: oidcStore,
    audit,
    session: sessionPolicy,
    sessionCache,
    secondFactor: {
      methodsOf: (userId, tx) => secondFactor.methodsOf(userId, tx),
      issueLoginChallenge: async (userId) => {
        const user = await authRepo.findUserById(userId);
        return user && !user.disabledAt ? secondFactor.issueLoginChallenge(user) : null;
      },
    },
  });
  const auth = createAuthService({
    repo: authRepo,
    hasher,
    throttle: loginThrottle,
    audit,
    session: options.session,
    sessionPolicy,
    sessionCache,
    primary: ldap.login,
    loginChallenges: { issue: (user) => secondFactor.issueLoginChallenge(user) },
    enrolmentGate: (actor) => mfa.enrolmentRequired(actor),
    localLogin: { allows: (username) => oidcSettings.localLoginAllows(username) },
  });
  const mfaRepo = createMfaRepo(db);
  const rp = options.webauthn ?? relyingPartyOf('https://localhost:8080');
  const secondFactor = createSecondFactorService({
    repo: mfaRepo,
    vault: options.vault,
    audit,
    throttle: loginThrottle,
    rp,
    completeLogin: (userId, stamp, ctx, details) => auth.completeLogin(userId, stamp, ctx, details),
    now: options.mfaClock,
  });
  const mfa = createMfaService({ repo: mfaRepo, vault: options.vault, audit, throttle: loginThrottle, rp, secondFactor, sessionCache, now: options.mfaClock });
  const stepUp = createStepUpService({
    repo: createStepUpRepo(db),
    methods: createReauthMethods({ hasher, secondFactor }),
    throttle: loginThrottle,
    audit,
    windowSeconds: async (tx) => (await securitySettings.current(tx)).stepUpWindowSeconds,
    now: options.stepUpNow,
  });
  const tokens = createTokensService({ repo: createTokensRepo(db), audit, stepUp, tokensCanCreateTokens: options.tokensCanCreateTokens });
  const sessions = createSessionsService({ repo: createSessionsRepo(db), audit, sessionCache });
  const usersRepo = createUsersRepo(db);
  const users = createUsersService({ repo: usersRepo, hasher, audit, stepUp, sessionCache, isBreakGlass: (username) => oidcSettings.isBreakGlass(username) });
  const compliance = createComplianceService({ repo: createComplianceRepo(db), vault: options.vault });
  const access = createAccessService({ repo: createAccessRepo(db) });
  const policies = createPoliciesService({ repo: createPoliciesRepo(db), audit, compliance, access });
  const folders = createFoldersService({ repo: createFoldersRepo(db), access, audit });
  const groups = createGroupsService({ repo: createGroupsRepo(db), audit, stepUp });
  const permissions = createPermissionsService({ repo: createPermissionsRepo(db), access, audit, stepUp });
  const targets = createTargetsService({ repo: createTargetsRepo(db), audit, hostKeyTrust, access });
  const accounts = createAccountsService({ repo: createAccountsRepo(db), audit, policies, access });
  const credentials = createCredentialsService({ repo: createCredentialsRepo(db), vault: options.vault, policies, audit, access });
  const approvals = createApprovalsService({ repo: createApprovalsRepo(db), access, audit, pendingHours: options.approvalPendingHours });
  const jobs = createJobsService({ repo: createJobsRepo(db), vault: options.vault, queue: options.queue, policies, audit, access, stepUp, approvals });
  const resetOutcome = createResetOutcomeService({ repo: createJobsRepo(db), worker: createWorkerRepo(db), audit, access, stepUp, approvals, jobs });
  const checkout = createCheckoutService({ repo: createCheckoutRepo(db), vault: options.vault, audit, policies, jobs, access, stepUp, approvals });
  const restore = createRestoreService({ repo: createRestoreRepo(db), vault: options.vault, policies, audit, access, stepUp, jobs, approvals });
  const dashboard = createDashboardService({ repo: createDashboardRepo(db), access, targets, accounts, credentials, jobs });
  const hostKeys = createHostKeysService({ repo: createHostKeysRepo(db), connector: options.connector, audit, trust: hostKeyTrust, access });
  const reports = createReportsService({ repo: createReportsRepo(db), access });
  const exportsService = createExportsService({ repo: createExportsRepo(db), access, stepUp, approvals, audit, vault: options.vault });
  const alerts = createAlertsService({ repo: createAlertsRepo(db), access });
  const webhooks = createWebhooksService({
    repo: createWebhooksRepo(db),
    vault: options.vault,
    audit,
    policy: options.webhookUrlPolicy ?? DEFAULT_WEBHOOK_URL_POLICY,
  });
  const imports = createImportsService({ repo: createImportsRepo(db), vault: options.vault, access, audit, policies, queue: options.queue });
  const health = createHealthService({ repo: createHealthRepo(db), migrationNames: options.migrationNames, vault: options.vault });

  const eventStreams = createStreamLimiter(options.streamLimits);
  const bindings: Binding[] = [
    ...authBindings({ auth, cookieSecure: options.cookieSecure, session: options.session }),
    ...mfaBindings({ mfa, secondFactor, cookieSecure: options.cookieSecure }),
    ...sessionBindings({ sessions }),
    ...tokenBindings({ tokens }),
    ...userBindings({ users }),
    ...auditBindings({ audit }),
    ...auditStreamBindings({ auditStream }),
    ...policyBindings({ policies }),
    ...credentialBindings({ credentials }),
    ...jobBindings({ jobs, resetOutcome, checkout, events: options.events, streams: eventStreams, auth }),
    ...hostKeyBindings({ hostKeys }),
    ...targetBindings({ targets, accounts }),
    ...accountBindings({ accounts }),
    ...folderBindings({ folders }),
    ...groupBindings({ groups }),
    ...permissionBindings({ permissions }),
    ...stepUpBindings({ stepUp }),
    ...securitySettingsBindings({ securitySettings, stepUp }),
    ...ldapBindings({ ldap }),
    ...approvalBindings({ approvals }),
    ...oidcBindings({ login: oidcLogin, settings: oidcSettings, cookieSecure: options.cookieSecure }),
    ...reportBindings({ reports }),
    ...exportBindings({ exports: exportsService, reports }),
    ...restoreBindings({ restore }),
    ...dashboardBindings({ dashboard }),
    ...alertBindings({ alerts }),
    ...webhookBindings({ webhooks }),
    ...importBindings({ imports }),
  ];

  return {
    hasher,
    audit,
    auth,
    mfa,
    secondFactor,
    tokens,
    sessions,
    stepUp,
    securitySettings,
    users,
    usersRepo,
    policies,
    access,
    folders,
    groups,
    permissions,
    targets,
    accounts,
    credentials,
    jobs,
    checkout,
    approvals,
    hostKeys,
    hostKeyTrust,
    reports,
    exports: exportsService,
    imports,
    vault: options.vault,
    health,
    ldap,
    oidcLogin,
    oidcSettings,
    alerts,
    webhooks,
    eventStreams,
    bindings,
  };
}

export type Services = ReturnType<typeof createServices>;
