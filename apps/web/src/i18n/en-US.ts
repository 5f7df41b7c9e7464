/**
 * The en-US message catalogue: every user-facing string of the web console, one object
 * assembled from one file per area (./en-US/*.ts).
 *
 * Keys are flat and dotted (`area.thing`). Placeholders are `{name}` and are filled by
 * `t(key, { name })`. Another language is a file exporting `Messages` (same keys, checked
 * by the compiler) registered in `./index.ts`.
 */
import { accounts } from './en-US/accounts';
import { approvals } from './en-US/approvals';
import { alerts } from './en-US/alerts';
import { webhooks } from './en-US/webhooks';
import { audit } from './en-US/audit';
import { common } from './en-US/common';
import { credentials } from './en-US/credentials';
import { dashboard } from './en-US/dashboard';
import { folders } from './en-US/folders';
import { groups } from './en-US/groups';
import { imports } from './en-US/imports';
import { ldap } from './en-US/ldap';
import { jobs } from './en-US/jobs';
import { mfa } from './en-US/mfa';
import { permissions } from './en-US/permissions';
import { policies } from './en-US/policies';
import { reasons } from './en-US/reasons';
import { reports } from './en-US/reports';
import { security } from './en-US/security';
import { sso } from './en-US/sso';
import { targets } from './en-US/targets';
import { users } from './en-US/users';

export const enUS = {
  ...common,
  ...reasons,
  ...accounts,
  ...targets,
  ...folders,
  ...permissions,
  ...credentials,
  ...jobs,
  ...policies,
  ...audit,
  ...users,
  ...groups,
  ...security,
  ...ldap,
  ...approvals,
  ...alerts,
  ...webhooks,
  ...mfa,
  ...sso,
  ...reports,
  ...dashboard,
  ...imports,
} as const;

export type MessageKey = keyof typeof enUS;
/** The shape every other language's catalogue must have. */
export type Messages = Record<MessageKey, string>;
