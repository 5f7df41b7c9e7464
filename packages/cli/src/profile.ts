import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What `passman login` keeps: where PassMan is and how to trust it; the token lies beside it in a file of its own. */
export interface Profile {
  url: string;
  fingerprint?: string;
  caFile?: string;
  /** The token's id, so `passman logout` can revoke it. */
  tokenId: string;
}

/** PASSMAN_CONFIG_DIR, else $XDG_CONFIG_HOME/passman, else ~/.config/passman. */
export function profileDir(env: NodeJS.ProcessEnv): string {
  return env.PASSMAN_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'passman');
}

/** Written whole (a rename) and readable by its owner only: the token file is a credential. */
function writePrivate(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function saveProfile(env: NodeJS.ProcessEnv, profile: Profile, token: string): string {
  const dir = profileDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writePrivate(join(dir, 'token'), `${token}\n`);
  writePrivate(join(dir, 'profile.json'), `${JSON.stringify(profile, null, 2)}\n`);
  return dir;
}

/** The saved profile and token, or null when there is none. */
export function loadProfile(env: NodeJS.ProcessEnv): { profile: Profile; token: string } | null {
  const dir = profileDir(env);
  try {
    const profile = JSON.parse(readFileSync(join(dir, 'profile.json'), 'utf8')) as Profile;
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    return { profile, token };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function removeProfile(env: NodeJS.ProcessEnv): void {
  const dir = profileDir(env);
  rmSync(join(dir, 'token'), { force: true });
  rmSync(join(dir, 'profile.json'), { force: true });
}
