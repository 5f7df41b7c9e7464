import { randomBytes } from 'node:crypto';
import { ConnectorError } from './connector-error.js';
import { outputExcerpt } from './output-excerpt.js';
import type { ExecResult, SshSession } from './ssh-session.js';


function failed(what: string, result: ExecResult, sentSecret: boolean, secrets: readonly string[]): ConnectorError {
  const details = { exitCode: result.code, ...(result.signal ? { signal: result.signal } : {}), stderr: outputExcerpt(result.stderr, secrets) };
  if (result.code === null) {
    // No exit status: the session died while the command ran. If the new secret had been
    // written, the change may or may not have happened.
    return new ConnectorError('COMMAND_FAILED', `${what} ended without an exit status`, { details, outcomeUnknown: sentSecret });
  }
  return new ConnectorError('COMMAND_FAILED', `${what} exited with status ${result.code}`, { details });
}

/** Re-labels a failure that struck after the new secret was sent: its outcome is unknown. */
async function tracking<T>(sent: () => boolean, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ConnectorError && sent() && !err.outcomeUnknown) {
      throw new ConnectorError(err.code, `${err.message} (after the new password was sent: the change may have happened)`, {
        details: err.details as Record<string, unknown>,
        outcomeUnknown: true,
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * The account changes its own password: Debian's passwd has no --stdin, but run without a
 * terminal it reads "current\nnew\nnew\n" from stdin. It hashes with the target's default
 * (PAM, e.g. yescrypt) and applies the target's password-quality rules.
 */
export async function changeOwnPassword(session: SshSession, currentPassword: string, newPassword: string, onSent?: () => void): Promise<void> {
  const secrets = [currentPassword, newPassword];
  let sent = false;
  const result = await tracking(
    () => sent,
    () =>
      session.exec('passwd', (io) => {
        if (sent) return;
        sent = true;
        io.write(`${currentPassword}\n${newPassword}\n${newPassword}\n`);
        io.end();
        onSent?.();
      }),
  );
  if (result.code !== 0) throw failed('passwd', result, sent, secrets);
}

/** A uid-0 managing account runs chpasswd, fed one "user:password" record. */
export async function changePasswordAsRoot(session: SshSession, username: string, newPassword: string, onSent?: () => void): Promise<void> {
  let sent = false;
  const result = await tracking(
    () => sent,
    () =>
      session.exec('chpasswd', (io) => {
        if (sent) return;
        sent = true;
        io.write(`${username}:${newPassword}\n`);
        io.end();
        onSent?.();
      }),
  );
  if (result.code !== 0) throw failed('chpasswd', result, sent, [newPassword]);
}

/**
 * A managing account runs chpasswd through sudo. sudo reads its password from the same stdin
 * as chpasswd; where sudoers says NOPASSWD it reads nothing, and a sudo password written
 * blindly would become a chpasswd record. So it goes in steps, each told apart by a random
 * marker: `sudo -v` (which prompts only when a password is needed) validates first, and the
 * "user:password" record is written only after the marker line says sudo accepted. A wrong
 * sudo password thus never gets the new password sent in its place.
 */
export async function changePasswordWithSudo(
  session: SshSession,
  username: string,
  newPassword: string,
  sudoPassword: string | undefined,
  onSent?: () => void,
): Promise<void> {
  const nonce = randomBytes(8).toString('hex');
  const prompt = `PASSMAN-SUDO-${nonce}:`;
  const ready = `PASSMAN-READY-${nonce}`;
  // /bin/sh whatever the login shell is; `rc=$?` keeps the last sudo from being exec'd in
  // place of the shell, which would change its parent and lose the validated timestamp.
  const command = `/bin/sh -c 'sudo -k && sudo -S -p "${prompt}" -v && echo ${ready} && sudo -n chpasswd; rc=$?; exit $rc'`;
  const secrets = [newPassword, ...(sudoPassword ? [sudoPassword] : [])];
  let sentSudoPassword = false;
  let sentRecord = false;
  let ended = false;
  let refused: 'wrong-password' | 'password-needed' | undefined;

  const result = await tracking(
    () => sentRecord,
    () =>
      session.exec(command, (io) => {
        if (ended) return;
        const prompts = io.stderr.split(prompt).length - 1;
        if (prompts >= 1 && !sentSudoPassword) {
          if (sudoPassword === undefined) {
            refused = 'password-needed';
            ended = true;
            io.end();
            return;
          }
          sentSudoPassword = true;
          io.write(`${sudoPassword}\n`);
        }
        if (prompts >= 2) {
          refused = 'wrong-password';
          ended = true;
          io.end();
          return;
        }
        if (io.stdout.split('\n').includes(ready)) {
          sentRecord = true;
          ended = true;
          io.write(`${username}:${newPassword}\n`);
          io.end();
          onSent?.();
        }
      }),
  );
  if (result.code === 0 && sentRecord) return;
  if (!sentRecord) {
    const message =
      refused === 'password-needed'
        ? 'sudo on the target asks the managing account for a password, and none is configured'
        : refused === 'wrong-password'
          ? "sudo on the target refused the managing account's password"
          : 'sudo on the target refused the managing account (not allowed to run chpasswd?)';
    throw new ConnectorError('SUDO_REJECTED', message, { details: { exitCode: result.code, stderr: outputExcerpt(result.stderr.split(prompt).join(''), secrets) } });
  }
  throw failed('sudo chpasswd', result, sentRecord, secrets);
}
