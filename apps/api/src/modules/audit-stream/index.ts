/** Audit streaming to a SIEM: every audit event also goes out as RFC 5424 syslog and/or JSON lines, buffered across outages. */
export { createAuditStreamRepo, type AuditStreamRepo, type StreamStart } from './audit-stream.repo.js';
export { startAuditStream, DEFAULT_AUDIT_STREAM_OPTIONS, type AuditStream, type AuditStreamOptions, type StreamDestination } from './audit-stream.sender.js';
export { syslogDestination, jsonLinesDestination, SYSLOG_DESTINATION, JSON_DESTINATION, type SyslogDestinationSettings } from './audit-stream-destinations.js';
export {
  formatSyslog,
  formatJsonLine,
  streamActor,
  INTERNAL_ACTOR,
  SD_ID,
  SD_DETAILS_ID,
  SYSLOG_FACILITIES,
  type SyslogFacility,
} from './audit-stream-format.js';
export { parseSyslogUrl, type SyslogTarget } from './syslog-transport.js';
export { registerAuditStreamMetrics } from './audit-stream-metrics.js';
export { createAuditStreamService, type AuditStreamService } from './audit-stream.service.js';
export { auditStreamBindings } from './audit-stream.routes.js';
