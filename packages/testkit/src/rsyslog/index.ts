/** A real rsyslog receiver for tests: plain TCP, TLS, TLS with client certificates and UDP on free loopback ports. */
export { startRsyslog, type Rsyslog } from './rsyslog.js';
