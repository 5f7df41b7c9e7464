import { IdParamsSchema, IdSchema, PageQuerySchema, TimestampSchema, pageOf } from './common.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

/** A browser session as its user and administrators see it (never its token). */
export const SessionInfoSchema = z
  .object({
    id: z.uuid(),
    createdAt: TimestampSchema,
    expiresAt: TimestampSchema,
    lastSeenAt: TimestampSchema.openapi({ description: 'Last use, recorded at most once a minute' }),
    loginIp: z.string().nullable().openapi({ description: 'Address it logged in from' }),
    lastSeenIp: z.string().nullable().openapi({ description: 'Address of the request recorded as the last use' }),
    userAgent: z.string().nullable(),
    current: z.boolean().openapi({ description: 'The session this request was made with' }),
  })
  .openapi('SessionInfo');
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const SessionPageSchema = pageOf(SessionInfoSchema, 'SessionPage');

export const EndedSessionsSchema = z.object({ ended: z.number().int() }).openapi('EndedSessions');
export type EndedSessions = z.infer<typeof EndedSessionsSchema>;

/** Your own sessions (browser sessions only: an API token cannot see or end them). */
export const sessionRoutes = {
  listMine: defineRoute({
    operationId: 'listMySessions',
    method: 'get',
    path: '/auth/sessions',
    summary: 'Your sessions, newest first',
    tag: 'auth',
    access: 'authenticated',
    query: PageQuerySchema,
    success: { status: 200, schema: SessionPageSchema },
  }),
  endOthers: defineRoute({
    operationId: 'endMyOtherSessions',
    method: 'delete',
    path: '/auth/sessions',
    summary: 'End all your sessions but this one',
    tag: 'auth',
    access: 'authenticated',
    success: { status: 200, schema: EndedSessionsSchema },
  }),
  endMine: defineRoute({
    operationId: 'endMySession',
    method: 'delete',
    path: '/auth/sessions/:id',
    summary: 'End one of your sessions',
    tag: 'auth',
    access: 'authenticated',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
};

/** An administrator's view of any user's sessions. */
export const userSessionRoutes = {
  list: defineRoute({
    operationId: 'listUserSessions',
    method: 'get',
    path: '/users/:id/sessions',
    summary: 'A user’s sessions, newest first, with their last use',
    tag: 'users',
    access: 'users.manage',
    params: IdParamsSchema,
    query: PageQuerySchema,
    success: { status: 200, schema: SessionPageSchema },
    errors: [404],
  }),
  endAll: defineRoute({
    operationId: 'endUserSessions',
    method: 'delete',
    path: '/users/:id/sessions',
    summary: 'End every session of a user',
    tag: 'users',
    access: 'users.manage',
    params: IdParamsSchema,
    success: { status: 200, schema: EndedSessionsSchema },
    errors: [404],
  }),
  end: defineRoute({
    operationId: 'endUserSession',
    method: 'delete',
    path: '/users/:id/sessions/:sessionId',
    summary: 'End one session of a user',
    tag: 'users',
    access: 'users.manage',
    params: z.object({ id: IdSchema, sessionId: IdSchema }),
    success: { status: 204 },
    errors: [404],
  }),
};
