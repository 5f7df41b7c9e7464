import type { AuditEvent } from '@passman/contracts';

/**
 * The SD-ID of PassMan's structured data. 32473 is the private enterprise number IANA reserves
 * for examples and documentation (RFC 5612): PassMan has none of its own, and a SIEM matches on
 * the whole `passman@32473` anyway.
 */
export const SD_ID = 'passman@32473';
/** The second SD-ELEMENT: the event's details, flattened to key=value. */
export const SD_DETAILS_ID = 'details@32473';

/** The actor a SIEM sees for what PassMan does by itself (timed checks, rotation, job steps, directory sync). */
export const INTERNAL_ACTOR = 'auto@internal';
/** Actor names the audit trail stores for work nobody asked for at that moment (no user id). */
const INTERNAL_ACTOR_NAMES = new Set(['system', 'scheduler', 'worker', 'ldap-sync']);

/** Syslog facilities by name (RFC 5424 table 1), for the configuration. */
export const SYSLOG_FACILITIES = {
  kern: 0,
  user: 1,
  daemon: 3,
  auth: 4,
  syslog: 5,
  authpriv: 10,
  audit: 13,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type SyslogFacility = keyof typeof SYSLOG_FACILITIES;

/** Informational for what succeeded, warning for a failure or a refusal. */
const severityOf = (outcome: AuditEvent['outcome']): number => (outcome === 'success' ? 6 : 4);

export interface SyslogHeader {
  facility: SyslogFacility;
  /** The HOSTNAME field: PassMan's host as the SIEM should know it. */
  hostname: string;
  appName: string;
}

/** The actor a SIEM sees: `auto@internal` for PassMan's own work, else who did it. */
export function streamActor(event: Pick<AuditEvent, 'actorId' | 'actorName'>): string {
  return event.actorId === null && INTERNAL_ACTOR_NAMES.has(event.actorName) ? INTERNAL_ACTOR : event.actorName;
}

/** A header field: printable US-ASCII without spaces, at most `max` characters, `-` when empty. */
function headerField(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return printable.length > 0 ? printable : '-';
}

/** An SD-NAME: printable US-ASCII except `=`, space, `]` and `"`, at most 32 characters. */
function sdName(value: string): string {
  const name = value.replace(/[^\x21-\x7e]|[=\]"]/g, '_').slice(0, 32);
  return name.length > 0 ? name : '_';
}

/**
 * A PARAM-VALUE: `"`, `\` and `]` escaped with a backslash as RFC 5424 requires; control
 * characters (a line break would end the record for a UDP or line-based reader) become spaces.
 */
export function sdValue(value: string): string {
  return withoutControls(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROLS = /[\u0000-\u001f\u007f]/g;
const withoutControls = (value: string) => value.replace(CONTROLS, ' ');

const param = (name: string, value: string) => `${sdName(name)}="${sdValue(value)}"`;

/** Nested details as dotted keys (`changed.0=name`), each value as text. */
function flatten(value: unknown, prefix: string, out: [string, string][]): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.push([prefix, Array.isArray(value) ? '[]' : '{}']);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.push([prefix, value === null ? 'null' : String(value)]);
}

/**
 * One audit event as an RFC 5424 syslog message (without transport framing):
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [passman@32473 …][details@32473 …] MSG`, with the
 * action as MSGID and every field of the event as key=value structured data.
 */
export function formatSyslog(event: AuditEvent, header: SyslogHeader): string {
  const pri = SYSLOG_FACILITIES[header.facility] * 8 + severityOf(event.outcome);
  const actor = streamActor(event);
  const fields: [string, string | null][] = [
    ['seq', event.seq],
    ['actor', actor],
    ['actorId', event.actorId],
    ['component', actor === INTERNAL_ACTOR ? event.actorName : null],
    ['action', event.action],
    ['objectType', event.objectType],
    ['objectId', event.objectId],
    ['outcome', event.outcome],
    ['requestId', event.requestId],
    ['ip', event.ip],
    ['hash', event.hash],
  ];
  const main = `[${SD_ID} ${fields
    .filter((f): f is [string, string] => f[1] !== null)
    .map(([k, v]) => param(k, v))
    .join(' ')}]`;
  const flat: [string, string][] = [];
  for (const [key, value] of Object.entries(event.details)) flatten(value, key, flat);
  const details = flat.length > 0 ? `[${SD_DETAILS_ID} ${flat.map(([k, v]) => param(k, v)).join(' ')}]` : '';
  const object = event.objectId === null ? event.objectType : `${event.objectType} ${event.objectId}`;
  const text = withoutControls(`${actor} ${event.action} ${object}: ${event.outcome}`);
  return `<${pri}>1 ${event.at} ${headerField(header.hostname, 255)} ${headerField(header.appName, 48)} - ${headerField(event.action, 32)} ${main}${details} ${text}`;
}

/** One audit event as a JSON line (the API's shape, plus the stream's actor), ending in a newline. */
export function formatJsonLine(event: AuditEvent): string {
  return `${JSON.stringify({ ...event, actor: streamActor(event) })}\n`;
}
