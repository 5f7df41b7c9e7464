import { describe, expect, it } from '@jest/globals';
import type { AuditEvent } from '@passman/contracts';
import { formatJsonLine, formatSyslog, INTERNAL_ACTOR, SD_DETAILS_ID, SD_ID, sdValue } from './audit-stream-format.js';
import { parseSyslog } from './syslog-message.test-util.js';
import { octetFrame, parseSyslogUrl } from './syslog-transport.js';

const event = (over: Partial<AuditEvent> = {}): AuditEvent => ({
  seq: '42',
  at: '2026-12-07T04:30:00.123Z',
  actorId: '7f9c2a4e-1111-4a5b-9c3d-2e6f8a0b1c2d',
  actorName: 'alice',
  action: 'credential.checkout',
  objectType: 'account',
  objectId: 'a1',
  outcome: 'success',
  requestId: 'req-1',
  ip: '10.0.0.7',
  details: {},
  hash: 'ab'.repeat(32),
  ...over,
});
const header = { facility: 'authpriv' as const, hostname: 'vault-1.example.org', appName: 'passman' };

describe('RFC 5424 syslog of an audit event', () => {
  it('has the header fields and every field of the event as key=value structured data', () => {
    const parsed = parseSyslog(formatSyslog(event({ details: { target: 'db1', changed: ['name', 'tags'] } }), header));
    expect(parsed).toMatchObject({
      pri: 10 * 8 + 6,
      version: 1,
      timestamp: '2026-12-07T04:30:00.123Z',
      hostname: 'vault-1.example.org',
      appName: 'passman',
      procId: '-',
      msgId: 'credential.checkout',
      msg: 'alice credential.checkout account a1: success',
    });
    expect(parsed.sd[SD_ID]).toEqual({
      seq: '42',
      actor: 'alice',
      actorId: '7f9c2a4e-1111-4a5b-9c3d-2e6f8a0b1c2d',
      action: 'credential.checkout',
      objectType: 'account',
      objectId: 'a1',
      outcome: 'success',
      requestId: 'req-1',
      ip: '10.0.0.7',
      hash: 'ab'.repeat(32),
    });
    expect(parsed.sd[SD_DETAILS_ID]).toEqual({ target: 'db1', 'changed.0': 'name', 'changed.1': 'tags' });
  });

  it('is a warning for a failure or a refusal, in the configured facility', () => {
    expect(parseSyslog(formatSyslog(event({ outcome: 'failure' }), header)).severity).toBe(4);
    const denied = parseSyslog(formatSyslog(event({ outcome: 'denied' }), { ...header, facility: 'local4' }));
    expect([denied.facility, denied.severity]).toEqual([20, 4]);
  });

  it('escapes ", \\ and ] in values, and a hostile value cannot close the element or add a parameter', () => {
    const hostile = 'x"] [evil@1 actor="root"] \\ end';
    const line = formatSyslog(event({ actorName: hostile, objectId: ']"\\', details: { 'we=ird key"]': hostile, nl: 'a\nb\r\u0000c' } }), header);
    const parsed = parseSyslog(line);
    expect(Object.keys(parsed.sd)).toEqual([SD_ID, SD_DETAILS_ID]);
    expect(parsed.sd[SD_ID]!.actor).toBe(hostile);
    expect(parsed.sd[SD_ID]!.objectId).toBe(']"\\');
    expect(parsed.sd[SD_DETAILS_ID]).toEqual({ we_ird_key__: hostile, nl: 'a b  c' });
    expect(['\r', '\n', '\u0000'].some((c) => line.includes(c))).toBe(false);
    expect(sdValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
  });

  it('names PassMan itself auto@internal, and keeps people (even one called "scheduler") as they are', () => {
    const scheduled = parseSyslog(formatSyslog(event({ actorId: null, actorName: 'scheduler', action: 'job.created' }), header));
    expect(scheduled.sd[SD_ID]).toMatchObject({ actor: INTERNAL_ACTOR, component: 'scheduler' });
    expect(scheduled.sd[SD_ID]).not.toHaveProperty('actorId');
    expect(parseSyslog(formatSyslog(event({ actorName: 'scheduler' }), header)).sd[SD_ID]!.actor).toBe('scheduler');
    expect(parseSyslog(formatSyslog(event({ actorId: null, actorName: 'mallory' }), header)).sd[SD_ID]!.actor).toBe('mallory');
  });

  it('keeps header fields within the grammar (no spaces, printable ASCII, length limits)', () => {
    const parsed = parseSyslog(formatSyslog(event({ action: `very long action ${'x'.repeat(40)} é` }), { ...header, hostname: 'host name' }));
    expect(parsed.hostname).toBe('host_name');
    expect(parsed.msgId).toHaveLength(32);
    expect(parsed.msgId).toMatch(/^[\x21-\x7e]+$/);
  });

  it('frames by octet count (RFC 6587), counting UTF-8 bytes', () => {
    expect(octetFrame('<14>1 - - - - - - é')).toBe('20 <14>1 - - - - - - é');
  });
});

describe('JSON lines and destination URLs', () => {
  it('writes one line with the API shape and the stream actor', () => {
    const line = formatJsonLine(event({ actorId: null, actorName: 'worker', details: { note: 'a\nb' } }));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ seq: '42', actor: INTERNAL_ACTOR, actorName: 'worker', details: { note: 'a\nb' } });
  });

  it('reads udp, tcp and tls URLs and refuses anything else', () => {
    expect(parseSyslogUrl('tls://siem.example.org:6514')).toEqual({ protocol: 'tls', host: 'siem.example.org', port: 6514 });
    expect(parseSyslogUrl('udp://[::1]:514')).toEqual({ protocol: 'udp', host: '::1', port: 514 });
    for (const bad of ['http://x:1', 'tcp://x', 'tcp://x:0', 'tcp://x:70000', 'tcp://a b:1', 'tcp://x:1/path']) expect(parseSyslogUrl(bad)).toBeNull();
  });
});
