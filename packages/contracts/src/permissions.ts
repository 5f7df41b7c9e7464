import { z } from './zod.js';

/** Every action a role can grant. Roles (rows of `roles`) list a subset of these. */
export const PERMISSIONS = [
  'accounts.view',
  'accounts.manage',
  'targets.view',
  'targets.manage',
  /** Approve (pin) a target's host key: vouching for the host PassMan sends credentials to. */
  'targets.trust',
  'credentials.view',
  'credentials.checkout',
  'credentials.check',
  'credentials.reset',
  'credentials.update',
  'policies.view',
  'policies.manage',
  'jobs.view',
  'audit.view',
  'users.manage',
  'tokens.manage',
  /** Read Prometheus metrics at /metrics on the main port. */
  'metrics.view',
  /** Change who may do what in the vault tree; each change also needs manage_permissions on that object. */
  'permissions.manage',
  /** Decide others' approval requests (dual control); each decision also needs the right approve on the account. */
  'approvals.approve',
  /** Configure webhooks (where alerts are sent, with their signing secrets). */
  'webhooks.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];
export const PermissionSchema = z.enum(PERMISSIONS).openapi('Permission');

export const ROLES = ['admin', 'operator', 'auditor'] as const;
export type RoleName = (typeof ROLES)[number];
export const RoleNameSchema = z.enum(ROLES).openapi('Role');
