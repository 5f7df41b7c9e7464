import { hostname } from 'node:os';
import { formatSyslog, type SyslogFacility } from './audit-stream-format.js';
import type { StreamDestination } from './audit-stream.sender.js';
import { appendJsonLines, writeJsonLines } from './json-lines-sink.js';
import { sendSyslogBatch, type SyslogTarget } from './syslog-transport.js';

export const SYSLOG_DESTINATION = 'syslog';
export const JSON_DESTINATION = 'json';

export interface SyslogDestinationSettings {
  target: SyslogTarget;
  facility: SyslogFacility;
  /** The HOSTNAME field; the machine's name by default. */
  hostname?: string;
  appName?: string;
}

/** Audit events as RFC 5424 syslog over UDP, TCP or TLS. */
export function syslogDestination(settings: SyslogDestinationSettings, name = SYSLOG_DESTINATION): StreamDestination {
  const header = { facility: settings.facility, hostname: settings.hostname ?? hostname(), appName: settings.appName ?? 'passman' };
  const { protocol, host, port } = settings.target;
  return {
    name,
    kind: 'syslog',
    target: `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    send: (events) =>
      sendSyslogBatch(
        settings.target,
        events.map((e) => formatSyslog(e, header)),
      ),
  };
}

/** Audit events as JSON lines appended to a file (`path`), or written to standard output (`stdout`). */
export function jsonLinesDestination(where: string, name = JSON_DESTINATION, stdout: NodeJS.WritableStream = process.stdout): StreamDestination {
  return {
    name,
    kind: 'json',
    target: where,
    send: (events) => (where === 'stdout' ? writeJsonLines(stdout, events) : appendJsonLines(where, events)),
  };
}
