// Shapes of the auth endpoints. When `@passman/contracts` exports the auth schemas,
// these become `z.infer<…>` re-exports from there.

export type Role = 'admin' | 'operator' | 'auditor';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role | (string & {});
  permissions: string[];
}

/** What `POST /auth/login` and `GET /auth/me` answer. */
export interface AuthSession {
  user: User;
  csrfToken: string;
}
