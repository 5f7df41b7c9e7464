import { pino, type Logger } from 'pino';

/**
 * Paths pino replaces with "[redacted]". Secrets should never reach a log call at all;
 * this is the second line of defence (a test searches the run's logs for every secret).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.newSecret',
  '*.secret',
  '*.token',
  '*.privateKey',
  '*.passphrase',
  '*.masterKey',
];

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'passman' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination as pino.DestinationStream | undefined,
  );
}

export type { Logger };
