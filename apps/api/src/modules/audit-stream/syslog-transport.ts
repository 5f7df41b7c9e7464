import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** Where syslog goes: RFC 5426 (UDP), RFC 6587 octet counting (TCP) or RFC 5425 (TLS). */
export interface SyslogTarget {
  protocol: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
  /** TLS: PEM files, read at each connection so a renewed certificate needs no restart. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
  /** The longest a batch may take, connection included. */
  timeoutMs: number;
}

/** `udp://host:514`, `tcp://host:601`, `tls://host:6514` (IPv6 in brackets). */
export function parseSyslogUrl(url: string): Pick<SyslogTarget, 'protocol' | 'host' | 'port'> | null {
  const m = /^(udp|tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(url);
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { protocol: m[1] as SyslogTarget['protocol'], host: m[2]!.replace(/^\[|\]$/g, ''), port };
}

/** RFC 6587 octet-counting framing (also RFC 5425's): `MSG-LEN SP SYSLOG-MSG`. */
export const octetFrame = (message: string): string => `${Buffer.byteLength(message, 'utf8')} ${message}`;

/**
 * Sends one batch and resolves only once the receiver has it. Over TCP and TLS that is when the
 * receiver closes its side after reading our end of stream: a write that succeeded only reached
 * our own kernel's buffer, and a receiver that stops loses what it had not read — so each batch
 * has a connection of its own, and a batch without that close is sent again. UDP has no
 * acknowledgement at all: a datagram the receiver misses is lost (use TCP or TLS for that).
 */
export async function sendSyslogBatch(target: SyslogTarget, messages: string[]): Promise<void> {
  if (messages.length === 0) return;
  if (target.protocol === 'udp') return sendUdp(target, messages);
  const payload = messages.map(octetFrame).join('');
  const socket = target.protocol === 'tls' ? await openTls(target) : tcpConnect({ host: target.host, port: target.port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    let receiverDone = false;
    const timer = setTimeout(() => socket.destroy(new Error(`the syslog receiver did not take the batch within ${target.timeoutMs} ms`)), target.timeoutMs);
    socket.once(target.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
      socket.end(payload);
    });
    socket.on('data', () => undefined);
    socket.once('end', () => (receiverDone = true));
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (receiverDone) resolve();
      else reject(new Error('the syslog receiver closed the connection before it had read the batch'));
    });
  });
}

async function openTls(target: SyslogTarget): Promise<Socket> {
  const files = target.tls ?? {};
  const [ca, cert, key] = await Promise.all([files.caFile, files.certFile, files.keyFile].map((f) => (f ? readFile(f) : Promise.resolve(undefined))));
  // An IP address is checked against the certificate's IP SANs; SNI takes only DNS names.
  const servername = files.serverName ?? (isIP(target.host) ? undefined : target.host);
  return tlsConnect({ host: target.host, port: target.port, ca, cert, key, servername, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
}

async function sendUdp(target: SyslogTarget, messages: string[]): Promise<void> {
  const socket = createSocket(isIP(target.host) === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(target.port, target.host, () => resolve());
    });
    for (const message of messages) {
      await new Promise<void>((resolve, reject) => socket.send(message, (err) => (err ? reject(err) : resolve())));
    }
  } finally {
    socket.close();
  }
}
