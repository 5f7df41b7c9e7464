import { readFileSync } from 'node:fs';
import type { PassmanOptions } from '@passman/sdk';
import { CliError, EXIT } from './exit-codes.js';
import { loadProfile } from './profile.js';

/** The connection flags every command takes. Secrets have none: a token comes from the environment or a file. */
export interface ConnectionFlags {
  url?: string;
  fingerprint?: string;
  caFile?: string;
  tokenFile?: string;
}

/** An environment variable, with empty counted as unset (as `VAR= passman …` means). */
export const envValue = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name] || undefined;

/**
 * Flags first, then the environment (PASSMAN_URL, PASSMAN_TOKEN, PASSMAN_FINGERPRINT,
 * PASSMAN_CA_FILE), then the profile `passman login` saved. The token is never a command-line
 * argument: other users see argv in `ps`.
 */
export function connectionOptions(flags: ConnectionFlags, env: NodeJS.ProcessEnv): PassmanOptions {
  // The profile fills what flags and environment leave open, unless they name another PassMan.
  const saved = loadProfile(env);
  const url = flags.url ?? envValue(env, 'PASSMAN_URL') ?? saved?.profile.url;
  if (!url) throw new CliError(EXIT.USAGE, 'no PassMan URL: give --url, set PASSMAN_URL or run passman login');
  const profile = saved && saved.profile.url === url ? saved : null;
  let token = envValue(env, 'PASSMAN_TOKEN') ?? profile?.token;
  if (flags.tokenFile) {
    try {
      token = readFileSync(flags.tokenFile, 'utf8').trim();
    } catch (error) {
      throw new CliError(EXIT.USAGE, `cannot read the token file ${flags.tokenFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (!token) throw new CliError(EXIT.AUTH, 'not authenticated: set PASSMAN_TOKEN, give --token-file or run passman login');
  const fingerprint256 = flags.fingerprint ?? envValue(env, 'PASSMAN_FINGERPRINT') ?? profile?.profile.fingerprint;
  const caFile = flags.caFile ?? envValue(env, 'PASSMAN_CA_FILE') ?? profile?.profile.caFile;
  const tls = fingerprint256 || caFile ? { ...(fingerprint256 ? { fingerprint256 } : {}), ...(caFile ? { caFile } : {}) } : undefined;
  return { url, token, tls, userAgent: 'passman-cli' };
}
