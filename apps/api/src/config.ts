import { fileURLToPath } from 'node:url';
import { isOperatorUsername, OperatorPasswordSchema, SECURITY_SETTING_LIMITS, z } from '@passman/contracts';
import { DEFAULT_HTTP_SERVER_SETTINGS } from './http/http-server.js';
import { parseSyslogUrl, SYSLOG_FACILITIES, type SyslogFacility } from './modules/audit-stream/index.js';
import { DEFAULT_STREAM_LIMITS } from './http/stream-limiter.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A comma-separated list, blanks dropped; empty when unset. */
const commaList = () =>
  z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n.length > 0),
    );

/**
 * Every setting PassMan reads, parsed once at start. Secrets have no defaults here:
 * they come from the environment (or files it names), or are generated and printed once.
 */
export const ConfigSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .optional(),
    PASSMAN_DATA_DIR: z.string().default('./data'),
    PASSMAN_EMBEDDED_PG_PORT: int(1024, 65535).default(54329),
    PASSMAN_HOST: z.string().default('127.0.0.1'),
    PASSMAN_PORT: int(1, 65535).default(8080),
    PASSMAN_ADMIN_USERNAME: z
      .string()
      .refine(isOperatorUsername, 'must be an operator user name: 2 to 64 of a-z 0-9 . _ @ -, a letter or digit first')
      .default('admin'),
    PASSMAN_ADMIN_PASSWORD: OperatorPasswordSchema.optional(),
    PASSMAN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Unset: Secure exactly when PassMan serves TLS itself (see cookieSecure). */
    PASSMAN_COOKIE_SECURE: bool.optional(),
    PASSMAN_TRUST_PROXY: z.string().default('false'),
    /** The URL people open PassMan at; passkeys (WebAuthn) are bound to its host name. Unset: https://localhost:<PASSMAN_PORT>. */
    PASSMAN_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    PASSMAN_TLS: z.enum(['on', 'off']).default('on'),
    PASSMAN_TLS_CERT: z.string().min(1).optional(),
    PASSMAN_TLS_KEY: z.string().min(1).optional(),
    /** More names for the self-signed certificate, comma-separated (DNS names or IP addresses). */
    PASSMAN_TLS_HOSTNAMES: commaList().pipe(
      z.array(z.string().regex(/^(?:[A-Za-z0-9*](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9a-fA-F:.]+)$/, 'must be DNS names or IP addresses, comma-separated')),
    ),
    /** `host:port` of a separate plain-HTTP listener for /metrics only; unset: /metrics on the main port, for `metrics.view`. */
    PASSMAN_METRICS_LISTEN: z
      .string()
      .regex(/^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9464 or [::1]:9464')
      .optional(),
    PASSMAN_HTTP_REQUEST_TIMEOUT_MS: int(1_000, 600_000).default(DEFAULT_HTTP_SERVER_SETTINGS.requestTimeoutMs),
    PASSMAN_HTTP_HEADERS_TIMEOUT_MS: int(1_000, 600_000).default(DEFAULT_HTTP_SERVER_SETTINGS.headersTimeoutMs),
    PASSMAN_HTTP_KEEP_ALIVE_TIMEOUT_MS: int(0, 600_000).default(DEFAULT_HTTP_SERVER_SETTINGS.keepAliveTimeoutMs),
    PASSMAN_SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
    PASSMAN_SESSION_MAX_HOURS: int(1, 24 * 30).default(12),
    /** Until an administrator sets one in the console: how long a login or re-authentication covers sensitive actions. */
    PASSMAN_STEP_UP_WINDOW_SECONDS: int(SECURITY_SETTING_LIMITS.stepUpWindowSeconds.min, SECURITY_SETTING_LIMITS.stepUpWindowSeconds.max).default(300),
    PASSMAN_TOKENS_CAN_CREATE_TOKENS: bool.default(true),
    /** How long an approval request waits for a decision before it expires. */
    PASSMAN_APPROVAL_PENDING_HOURS: int(1, 24 * 30).default(24),
    /** How long past its rotation interval a credential may go before the rotation_overdue alert. */
    PASSMAN_ALERT_ROTATION_GRACE_HOURS: int(0, 24 * 90).default(24),
    /** How often each worker sweeps the alert rules. */
    PASSMAN_ALERT_SWEEP_SECONDS: int(5, 86_400).default(60),
    /** Host names webhooks may point to, comma-separated; empty: any (link-local and metadata addresses still refused). */
    PASSMAN_WEBHOOK_ALLOWED_HOSTS: commaList(),
    /** Let webhooks reach link-local and cloud metadata addresses (refused by default: server-side request forgery). */
    PASSMAN_WEBHOOK_ALLOW_LINK_LOCAL: bool.default(false),
    PASSMAN_DB_POOL_MAX: int(1, 200).default(10),
    PASSMAN_DB_CONNECTION_TIMEOUT_MS: int(100, 120_000).default(5_000),
    PASSMAN_DB_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(15_000),
    PASSMAN_RUN_WORKER: bool.default(true),
    PASSMAN_WORKER_CONCURRENCY: int(1, 1000).default(32),
    PASSMAN_JOB_LEASE_SECONDS: int(2, 3600).default(60),
    PASSMAN_JOB_MAX_ATTEMPTS: int(1, 20).default(4),
    PASSMAN_SHUTDOWN_TIMEOUT_SECONDS: int(1, 3600).default(30),
    /** Unset: the worker's own default, a day (job-worker.ts `RECOVERY_DEADLINE_MS`, which says why). */
    PASSMAN_JOB_RECOVERY_HOURS: int(1, 24 * 30).optional(),
    PASSMAN_CHECK_INTERVAL_HOURS: int(0, 24 * 366).default(24),
    PASSMAN_ROTATE: bool.default(true),
    PASSMAN_SCHEDULE_TICK_SECONDS: int(5, 3600).default(60),
    PASSMAN_AUDIT_CHECKPOINT_EVENTS: int(1, 10_000_000).default(1000),
    PASSMAN_AUDIT_CHECKPOINT_MINUTES: int(1, 24 * 60).default(10),
    /** Only for the first start after upgrading from an unkeyed audit trail (modules/audit/README.md). */
    PASSMAN_AUDIT_ADOPT_UNKEYED_TRAIL: bool.default(false),
    /** Audit streaming (docs/siem.md): every audit event also as RFC 5424 syslog to udp://, tcp:// or tls://host:port. */
    PASSMAN_AUDIT_SYSLOG: z
      .string()
      .refine((v) => parseSyslogUrl(v) !== null, 'must be udp://host:port, tcp://host:port or tls://host:port (IPv6 in brackets)')
      .optional(),
    /** TLS syslog: the CA (PEM file) the receiver's certificate must chain to; unset: the system's CAs. */
    PASSMAN_AUDIT_SYSLOG_CA: z.string().min(1).optional(),
    /** TLS syslog: a client certificate and its key (PEM files), for receivers that ask for one. */
    PASSMAN_AUDIT_SYSLOG_CERT: z.string().min(1).optional(),
    PASSMAN_AUDIT_SYSLOG_KEY: z.string().min(1).optional(),
    /** TLS syslog: the name the receiver's certificate must carry, when it is not the host of the URL. */
    PASSMAN_AUDIT_SYSLOG_SERVERNAME: z.string().min(1).optional(),
    PASSMAN_AUDIT_SYSLOG_FACILITY: z.enum(Object.keys(SYSLOG_FACILITIES) as [SyslogFacility, ...SyslogFacility[]]).default('authpriv'),
    /** The HOSTNAME of the syslog messages; unset: this machine's name. */
    PASSMAN_AUDIT_SYSLOG_HOSTNAME: z.string().min(1).max(255).optional(),
    PASSMAN_AUDIT_SYSLOG_TIMEOUT_MS: int(1_000, 120_000).default(15_000),
    /** Every audit event also as a JSON line: `stdout`, or the absolute path of a file to append to. */
    PASSMAN_AUDIT_JSON: z
      .string()
      .refine((v) => v === 'stdout' || v.startsWith('/'), 'must be stdout or an absolute file path')
      .optional(),
    /** Where a destination configured for the first time starts: `start` (the whole trail) or `now`. */
    PASSMAN_AUDIT_STREAM_FROM: z.enum(['start', 'now']).default('start'),
    PASSMAN_SSH_MAX_CONNECTIONS_PER_TARGET: int(1, 100).default(4),
    PASSMAN_SSH_READY_TIMEOUT_MS: int(500, 120_000).default(10_000),
    PASSMAN_SSH_OPERATION_TIMEOUT_MS: int(1000, 600_000).default(30_000),
    PASSMAN_EVENT_STREAMS_PER_CLIENT: int(1, 1000).default(DEFAULT_STREAM_LIMITS.perClient),
    PASSMAN_EVENT_STREAMS_TOTAL: int(1, 100_000).default(DEFAULT_STREAM_LIMITS.total),
    PASSMAN_WEB_DIST: z.string().default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (Boolean(c.PASSMAN_TLS_CERT) !== Boolean(c.PASSMAN_TLS_KEY)) issue('PASSMAN_TLS_CERT', 'PASSMAN_TLS_CERT and PASSMAN_TLS_KEY go together');
    if (c.PASSMAN_TLS === 'off' && c.PASSMAN_TLS_CERT) issue('PASSMAN_TLS_CERT', 'a certificate is given but PASSMAN_TLS=off');
    if (c.PASSMAN_TLS === 'on' && c.PASSMAN_COOKIE_SECURE === false) {
      issue('PASSMAN_COOKIE_SECURE', 'cannot be false while PassMan serves HTTPS (PASSMAN_TLS=on): browsers must never send the session over plain HTTP');
    }
    if (c.PASSMAN_TRUST_PROXY === 'true') {
      // Express would take the first X-Forwarded-For address, which the client writes itself.
      issue(
        'PASSMAN_TRUST_PROXY',
        'true would believe any address a client claims in X-Forwarded-For (login throttling, audit): give the number of proxies in front of PassMan, or their addresses',
      );
    }
    if (Boolean(c.PASSMAN_AUDIT_SYSLOG_CERT) !== Boolean(c.PASSMAN_AUDIT_SYSLOG_KEY)) {
      issue('PASSMAN_AUDIT_SYSLOG_CERT', 'PASSMAN_AUDIT_SYSLOG_CERT and PASSMAN_AUDIT_SYSLOG_KEY go together');
    }
    const syslogTls = c.PASSMAN_AUDIT_SYSLOG?.startsWith('tls://') ?? false;
    for (const key of ['PASSMAN_AUDIT_SYSLOG_CA', 'PASSMAN_AUDIT_SYSLOG_CERT', 'PASSMAN_AUDIT_SYSLOG_SERVERNAME'] as const) {
      // Certificates given for plain TCP or UDP would suggest a protection the stream does not have.
      if (c[key] && !syslogTls) issue(key, 'is for syslog over TLS only: PASSMAN_AUDIT_SYSLOG must be a tls:// URL');
    }
    if (c.PASSMAN_HTTP_HEADERS_TIMEOUT_MS > c.PASSMAN_HTTP_REQUEST_TIMEOUT_MS) {
      issue('PASSMAN_HTTP_HEADERS_TIMEOUT_MS', 'must not exceed PASSMAN_HTTP_REQUEST_TIMEOUT_MS');
    }
  });

export type AppConfig = z.infer<typeof ConfigSchema>;

/**
 * The session cookie is Secure whenever PassMan serves HTTPS itself. Behind a TLS-terminating
 * proxy (PASSMAN_TLS=off) the browser still speaks HTTPS: set PASSMAN_COOKIE_SECURE=true there.
 */
export function cookieSecure(config: AppConfig): boolean {
  return config.PASSMAN_COOKIE_SECURE ?? config.PASSMAN_TLS === 'on';
}

/** Where browsers reach PassMan: the WebAuthn relying party's origin and ID. */
export function publicUrl(config: AppConfig): string {
  return config.PASSMAN_PUBLIC_URL ?? `${config.PASSMAN_TLS === 'on' ? 'https' : 'http'}://localhost:${config.PASSMAN_PORT}`;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Express's `trust proxy`: false, a hop count, or a list of addresses (the config refuses `true`). */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
