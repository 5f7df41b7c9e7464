import type { CallArgs, RouteLike, RouteResponse } from '@passman/api-client';
import {
  accountRoutes,
  alertRoutes,
  approvalRoutes,
  approvalRuleRoutes,
  auditRoutes,
  authRoutes,
  credentialRoutes,
  dashboardRoutes,
  exportRoutes,
  folderRoutes,
  groupRoutes,
  historyRoutes,
  hostKeyRoutes,
  importRoutes,
  jobRoutes,
  ldapRoutes,
  loginMfaRoutes,
  mfaRoutes,
  oidcRoutes,
  permissionRoutes,
  policyRoutes,
  reportRoutes,
  resetOutcomeRoutes,
  securitySettingsRoutes,
  sessionRoutes,
  stepUpRoutes,
  targetRoutes,
  tokenRoutes,
  userMfaRoutes,
  userRoutes,
  userSessionRoutes,
  userTokenRoutes,
  webhookRoutes,
} from '@passman/contracts';

/**
 * The contracts' route groups under the names the client shows them (`pm.accounts.list(…)`).
 * A test checks that this holds every route of `ALL_ROUTE_GROUPS`, so a new group cannot be missed.
 */
export const ROUTE_GROUPS = {
  auth: authRoutes,
  loginMfa: loginMfaRoutes,
  mfa: mfaRoutes,
  userMfa: userMfaRoutes,
  sessions: sessionRoutes,
  tokens: tokenRoutes,
  users: userRoutes,
  userSessions: userSessionRoutes,
  userTokens: userTokenRoutes,
  audit: auditRoutes,
  targets: targetRoutes,
  accounts: accountRoutes,
  policies: policyRoutes,
  credentials: credentialRoutes,
  jobs: jobRoutes,
  hostKeys: hostKeyRoutes,
  folders: folderRoutes,
  groups: groupRoutes,
  folderPermissions: permissionRoutes.folder,
  targetPermissions: permissionRoutes.target,
  accountPermissions: permissionRoutes.account,
  stepUp: stepUpRoutes,
  securitySettings: securitySettingsRoutes,
  ldap: ldapRoutes,
  approvals: approvalRoutes,
  folderApprovalRules: approvalRuleRoutes.folder,
  accountApprovalRules: approvalRuleRoutes.account,
  oidc: oidcRoutes,
  reports: reportRoutes,
  exports: exportRoutes,
  history: historyRoutes,
  resetOutcomes: resetOutcomeRoutes,
  dashboard: dashboardRoutes,
  alerts: alertRoutes,
  webhooks: webhookRoutes,
  imports: importRoutes,
} as const;

export type RouteGroups = typeof ROUTE_GROUPS;

/**
 * The routes that answer with Server-Sent Events. A route object's `stream` flag is a plain
 * boolean to the type system, so the names are listed here for the types; a test checks this
 * list against the flags, so the two cannot drift apart.
 */
export const STREAM_ROUTES = { jobs: ['events', 'batchEvents'] } as const satisfies { [G in keyof RouteGroups]?: ReadonlyArray<keyof RouteGroups[G]> };
type StreamRouteNames<G> = G extends keyof typeof STREAM_ROUTES ? (typeof STREAM_ROUTES)[G][number] : never;

/** The item type of a paged route (`{ items, nextCursor }`), never for the others. */
export type PageItem<R extends RouteLike> = RouteResponse<R> extends { items: ReadonlyArray<infer T>; nextCursor: string | null } ? T : never;

/** A JSON route: call it for its answer; a paged one also has `all(…)`, every item of every page. */
export type RouteMethod<R extends RouteLike> = ((...args: CallArgs<R>) => Promise<RouteResponse<R>>) &
  ([PageItem<R>] extends [never] ? unknown : { all(...args: CallArgs<R>): AsyncIterable<PageItem<R>> });

export interface StreamSettings {
  /** Retry a 429/503 when opening the stream (default true). */
  retry?: boolean;
  /** Give up when not even a heartbeat came for this long (PassMan sends one every 15 s); default 45 s. */
  idleMs?: number;
}

/** An event-stream route: each event's data, parsed, until the server ends the stream. */
export type StreamMethod<R extends RouteLike> = (...args: [...CallArgs<R>, StreamSettings?]) => AsyncIterable<RouteResponse<R>>;

export type RouteGroupClient<Group, Streams> = {
  [Name in keyof Group]: Group[Name] extends RouteLike ? (Name extends Streams ? StreamMethod<Group[Name]> : RouteMethod<Group[Name]>) : never;
};

/** `pm.<group>.<route>(…)` for every route of the API, typed from its route object. */
export type RouteClients = { [G in keyof RouteGroups]: RouteGroupClient<RouteGroups[G], StreamRouteNames<G>> };
