import type { Database } from '@passman/db';
import type { Binding } from './http/bind-routes.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { auditBindings } from './modules/audit/audit.routes.js';
import { createAuthRepo } from './modules/auth/auth.repo.js';
import { authBindings } from './modules/auth/auth.routes.js';
import { createAuthService, type SessionPolicy } from './modules/auth/auth.service.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createPasswordHasher, type PasswordHasher } from './modules/auth/password-hasher.js';
import { createHealthRepo } from './modules/health/health.repo.js';
import { createHealthService } from './modules/health/health.service.js';
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
  hasher?: PasswordHasher;
}

/** The composition root: every service wired to its repo and collaborators, plus the route bindings. */
export function createServices(options: ServiceOptions) {
  const { db } = options;
  const hasher = options.hasher ?? createPasswordHasher();
  const audit = createAuditService({ db });
  const authRepo = createAuthRepo(db);
  const auth = createAuthService({
    repo: authRepo,
    hasher,
    throttle: createLoginThrottle({ repo: authRepo }),
    audit,
    session: options.session,
  });
  const tokens = createTokensService({ repo: createTokensRepo(db), audit });
  const usersRepo = createUsersRepo(db);
  const users = createUsersService({ repo: usersRepo, hasher, audit });
  const health = createHealthService({ repo: createHealthRepo(db), migrationNames: options.migrationNames });

  const bindings: Binding[] = [
    ...authBindings({ auth, cookieSecure: options.cookieSecure, session: options.session }),
    ...tokenBindings({ tokens }),
    ...userBindings({ users }),
    ...auditBindings({ audit }),
  ];

  return { hasher, audit, auth, tokens, users, usersRepo, health, bindings };
}

export type Services = ReturnType<typeof createServices>;
