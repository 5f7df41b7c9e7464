import { addKeyScript, EXIT_OWNERSHIP, MARK_CHANGED, MARK_OWNER, MARK_UNCHANGED, removeKeyScript } from './authorized-keys-script.js';
import { ConnectorError } from './connector-error.js';
import { outputExcerpt } from './output-excerpt.js';
import { parsePublicKeyLine } from './ssh-keys.js';
import type { SshSession } from './ssh-session.js';
import { runWithSudo } from './sudo-exec.js';
import type { AuthorizedKeyRequest, AuthorizedKeyResult, Login, ManagedKeyRequest } from './target-connector.js';
import { assertSafeSecret, assertValidUsername } from './validate-input.js';

/** Logs in and runs `body`; `secrets` are what it writes besides the login (a sudo password). */
type WithLogin = (login: Login, secrets: readonly string[], body: (session: SshSession) => Promise<AuthorizedKeyResult>) => Promise<AuthorizedKeyResult>;

const OWNER_NAME = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/;

function ownershipError(username: string, stderr: string): ConnectorError {
  const reported = stderr
    .split('\n')
    .find((line) => line.startsWith(MARK_OWNER))
    ?.slice(MARK_OWNER.length)
    .trim();
  // The owner's name comes from the target: only show it when it is a plain user name.
  const owner = reported && OWNER_NAME.test(reported) ? reported : 'another user';
  return new ConnectorError(
    'SSH_DIR_OWNERSHIP',
    `~${username}/.ssh (or its authorized_keys) is owned by ${owner}, not by ${username}: sshd's StrictModes ignores keys there. ` +
      `Fix on the target as root: chown -R ${username}: ~${username}/.ssh && chmod 700 ~${username}/.ssh`,
    { details: { owner, username } },
  );
}

/**
 * Adds or removes a public key in an account's ~/.ssh/authorized_keys with the script of
 * authorized-keys-script.ts, fed on stdin to `/bin/sh -s` run as that account: logged in as it,
 * or through the managing account (`sudo -u`, or `su` when it is root).
 */
export async function runAuthorizedKeysScript(
  mode: 'add' | 'remove',
  request: AuthorizedKeyRequest | ManagedKeyRequest,
  withLogin: WithLogin,
  onSent?: () => void,
): Promise<AuthorizedKeyResult> {
  const via = 'via' in request ? request.via : undefined;
  const username = 'via' in request ? request.username : request.login?.username;
  assertValidUsername(username);
  const sudoPassword = via?.method === 'sudo' ? via.sudoPassword : undefined;
  if (sudoPassword !== undefined) assertSafeSecret(sudoPassword, 'sudoPassword');
  const key = parsePublicKeyLine(request.publicKey);
  const script = mode === 'add' ? addKeyScript(key) : removeKeyScript(key);
  const login = via ? via.login : (request as AuthorizedKeyRequest).login;
  return withLogin(login, sudoPassword ? [sudoPassword] : [], async (session) => {
    const { result } =
      via?.method === 'sudo'
        ? await runWithSudo(session, {
            command: '/bin/sh -s',
            asUser: username,
            what: `run /bin/sh -s as ${username}`,
            payload: script,
            sudoPassword,
            secrets: session.secrets,
            onSent,
          })
        : await feedScript(session, via ? `su -s /bin/sh ${username}` : '/bin/sh -s', script, onSent);
    const stdoutLines = result.stdout.split('\n');
    if (result.code === 0 && stdoutLines.includes(MARK_CHANGED)) return { changed: true };
    if (result.code === 0 && stdoutLines.includes(MARK_UNCHANGED)) return { changed: false };
    if (result.code === EXIT_OWNERSHIP) throw ownershipError(username, result.stderr);
    const details = { exitCode: result.code, stderr: outputExcerpt(result.stderr, session.secrets) };
    if (result.code === null) {
      // The rename is atomic, so the file is either old or new — but which is unknown.
      throw new ConnectorError('COMMAND_FAILED', `updating authorized_keys ended without an exit status`, { details, outcomeUnknown: true });
    }
    throw new ConnectorError('COMMAND_FAILED', `updating authorized_keys failed with status ${result.code}`, { details });
  });
}

async function feedScript(session: SshSession, command: string, script: string, onSent?: () => void) {
  let sent = false;
  const result = await session.exec(command, (io) => {
    if (sent) return;
    sent = true;
    io.write(script);
    io.end();
    onSent?.();
  });
  return { result, sent };
}
