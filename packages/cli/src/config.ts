import { readFileSync } from 'node:fs';
import type { PassmanOptions } from '@passman/sdk';
import { CliError, EXIT } from './exit-codes.js';

/** The connection flags every command takes. Secrets have none: a token comes from the environment or a file. */
export interface ConnectionFlags {
  url?: string;
  fingerprint?: string;
  caFile?: string;
  tokenFile?: string;
}

/**
 * Flags first, then the environment (PASSMAN_URL, PASSMAN_TOKEN, PASSMAN_FINGERPRINT,
 * PASSMAN_CA_FILE). The token is never a command-line argument: other users see argv in `ps`.
 */
export function connectionOptions(flags: ConnectionFlags, env: NodeJS.ProcessEnv): PassmanOptions {
  const url = flags.url ?? env.PASSMAN_URL;
  if (!url) throw new CliError(EXIT.USAGE, 'no PassMan URL: give --url or set PASSMAN_URL');
  let token = env.PASSMAN_TOKEN;
  if (flags.tokenFile) {
    try {
      token = readFileSync(flags.tokenFile, 'utf8').trim();
    } catch (error) {
      throw new CliError(EXIT.USAGE, `cannot read the token file ${flags.tokenFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (!token) throw new CliError(EXIT.AUTH, 'not authenticated: set PASSMAN_TOKEN or give --token-file');
  const fingerprint256 = flags.fingerprint ?? env.PASSMAN_FINGERPRINT;
  const caFile = flags.caFile ?? env.PASSMAN_CA_FILE;
  const tls = fingerprint256 || caFile ? { ...(fingerprint256 ? { fingerprint256 } : {}), ...(caFile ? { caFile } : {}) } : undefined;
  return { url, token, tls, userAgent: 'passman-cli' };
}
