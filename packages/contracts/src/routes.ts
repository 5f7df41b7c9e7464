import { accountRoutes } from './accounts.js';
import { alertRoutes, webhookRoutes } from './alerts.js';
import { approvalRoutes, approvalRuleRoutes } from './approvals.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { oidcRoutes } from './oidc.js';
import { credentialRoutes } from './credentials.js';
import { hostKeyRoutes, jobRoutes } from './jobs.js';
import { importRoutes } from './imports.js';
import { ldapRoutes } from './ldap.js';
import { loginMfaRoutes, mfaRoutes, userMfaRoutes } from './mfa.js';
import { policyRoutes } from './policies.js';
import type { ApiRoute } from './route.js';
import { targetRoutes } from './targets.js';
import { sessionRoutes, userSessionRoutes } from './sessions.js';
import { tokenRoutes, userTokenRoutes } from './tokens.js';
import { userRoutes } from './users.js';
import { stepUpRoutes } from './step-up.js';
import { securitySettingsRoutes } from './security-settings.js';
import { folderRoutes, groupRoutes, permissionRoutes } from './vault-tree.js';
import { exportRoutes, reportRoutes } from './reports.js';
import { historyRoutes } from './history.js';
import { resetOutcomeRoutes } from './reset-outcome.js';
import { dashboardRoutes } from './dashboard.js';

/** Every route group of the API; the OpenAPI document and the route-coverage tests walk this list. */
export const ALL_ROUTE_GROUPS: Record<string, ApiRoute>[] = [
  authRoutes,
  loginMfaRoutes,
  mfaRoutes,
  userMfaRoutes,
  sessionRoutes,
  tokenRoutes,
  userRoutes,
  userSessionRoutes,
  userTokenRoutes,
  auditRoutes,
  targetRoutes,
  accountRoutes,
  policyRoutes,
  credentialRoutes,
  jobRoutes,
  hostKeyRoutes,
  folderRoutes,
  groupRoutes,
  permissionRoutes.folder,
  permissionRoutes.target,
  permissionRoutes.account,
  stepUpRoutes,
  securitySettingsRoutes,
  ldapRoutes,
  approvalRoutes,
  approvalRuleRoutes.folder,
  approvalRuleRoutes.account,
  oidcRoutes,
  reportRoutes,
  exportRoutes,
  historyRoutes,
  resetOutcomeRoutes,
  dashboardRoutes,
  alertRoutes,
  webhookRoutes,
  importRoutes,
];
