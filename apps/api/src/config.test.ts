import { describe, expect, it } from '@jest/globals';
import { ConfigError, cookieSecure, loadConfig } from './config.js';

const load = (env: Record<string, string>) => loadConfig(env);

describe('TLS and listener settings', () => {
  it('serve HTTPS by default, with a Secure cookie and Node-independent timeouts', () => {
    const config = load({});
    expect(config.PASSMAN_TLS).toBe('on');
    expect(cookieSecure(config)).toBe(true);
    expect(config.PASSMAN_HTTP_HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(config.PASSMAN_HTTP_REQUEST_TIMEOUT_MS);
    expect(config.PASSMAN_METRICS_LISTEN).toBeUndefined();
  });

  it('follow PASSMAN_TLS for the cookie unless told: a proxy setup keeps it Secure', () => {
    expect(cookieSecure(load({ PASSMAN_TLS: 'off' }))).toBe(false);
    expect(cookieSecure(load({ PASSMAN_TLS: 'off', PASSMAN_COOKIE_SECURE: 'true' }))).toBe(true);
  });

  it.each([
    [{ PASSMAN_COOKIE_SECURE: 'false' }, 'PASSMAN_COOKIE_SECURE'],
    [{ PASSMAN_TLS_CERT: '/etc/passman/cert.pem' }, 'PASSMAN_TLS_CERT and PASSMAN_TLS_KEY go together'],
    [{ PASSMAN_TLS_KEY: '/etc/passman/key.pem' }, 'PASSMAN_TLS_CERT and PASSMAN_TLS_KEY go together'],
    [{ PASSMAN_TLS: 'off', PASSMAN_TLS_CERT: '/c.pem', PASSMAN_TLS_KEY: '/k.pem' }, 'PASSMAN_TLS=off'],
    [{ PASSMAN_TLS: 'maybe' }, 'PASSMAN_TLS'],
    [{ PASSMAN_HTTP_HEADERS_TIMEOUT_MS: '40000', PASSMAN_HTTP_REQUEST_TIMEOUT_MS: '30000' }, 'PASSMAN_HTTP_HEADERS_TIMEOUT_MS'],
    [{ PASSMAN_METRICS_LISTEN: '9464' }, 'PASSMAN_METRICS_LISTEN'],
    [{ PASSMAN_TLS_HOSTNAMES: 'good.example, bad name' }, 'PASSMAN_TLS_HOSTNAMES'],
    // `true` believes the first X-Forwarded-For address, which the client writes itself: every
    // login guess could claim a new source (the throttle) and any address (the audit trail).
    [{ PASSMAN_TLS: 'off', PASSMAN_TRUST_PROXY: 'true' }, 'PASSMAN_TRUST_PROXY'],
  ])('refuse %j at start, naming the setting', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it('read the extra certificate names and the metrics address', () => {
    const config = load({ PASSMAN_TLS_HOSTNAMES: 'vault.example.test, 10.0.0.5,::1', PASSMAN_METRICS_LISTEN: '[::1]:9464' });
    expect(config.PASSMAN_TLS_HOSTNAMES).toEqual(['vault.example.test', '10.0.0.5', '::1']);
    expect(config.PASSMAN_METRICS_LISTEN).toBe('[::1]:9464');
  });
});

describe('job worker settings', () => {
  it('PASSMAN_JOB_RECOVERY_HOURS: unset leaves the worker its own default; set, at least an hour', () => {
    expect(load({}).PASSMAN_JOB_RECOVERY_HOURS).toBeUndefined();
    expect(load({ PASSMAN_JOB_RECOVERY_HOURS: '72' }).PASSMAN_JOB_RECOVERY_HOURS).toBe(72);
    expect(() => load({ PASSMAN_JOB_RECOVERY_HOURS: '0' })).toThrow('PASSMAN_JOB_RECOVERY_HOURS');
  });
});

describe('audit streaming settings', () => {
  it('are off unless set, and take syslog URLs, certificate files for TLS and a JSON lines target', () => {
    const none = load({});
    expect([none.PASSMAN_AUDIT_SYSLOG, none.PASSMAN_AUDIT_JSON, none.PASSMAN_AUDIT_SYSLOG_FACILITY, none.PASSMAN_AUDIT_STREAM_FROM]).toEqual([
      undefined,
      undefined,
      'authpriv',
      'start',
    ]);
    const tls = load({
      PASSMAN_AUDIT_SYSLOG: 'tls://siem.example.org:6514',
      PASSMAN_AUDIT_SYSLOG_CA: '/etc/passman/siem-ca.pem',
      PASSMAN_AUDIT_SYSLOG_CERT: '/etc/passman/c.pem',
      PASSMAN_AUDIT_SYSLOG_KEY: '/etc/passman/k.pem',
      PASSMAN_AUDIT_JSON: '/var/log/passman/audit.jsonl',
    });
    expect(tls.PASSMAN_AUDIT_SYSLOG).toBe('tls://siem.example.org:6514');
  });

  it.each([
    [{ PASSMAN_AUDIT_SYSLOG: 'syslog.example.org:514' }, 'PASSMAN_AUDIT_SYSLOG'],
    [{ PASSMAN_AUDIT_SYSLOG: 'tcp://x:601', PASSMAN_AUDIT_SYSLOG_CA: '/ca.pem' }, 'tls:// URL'],
    [{ PASSMAN_AUDIT_SYSLOG_CA: '/ca.pem' }, 'tls:// URL'],
    [{ PASSMAN_AUDIT_SYSLOG: 'tls://x:6514', PASSMAN_AUDIT_SYSLOG_CERT: '/c.pem' }, 'go together'],
    [{ PASSMAN_AUDIT_SYSLOG_FACILITY: 'mail2' }, 'PASSMAN_AUDIT_SYSLOG_FACILITY'],
    [{ PASSMAN_AUDIT_JSON: 'audit.jsonl' }, 'absolute file path'],
  ])('refuse %j', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});
