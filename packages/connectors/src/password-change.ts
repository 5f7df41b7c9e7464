import { ConnectorError } from './connector-error.js';
import { outputExcerpt } from './output-excerpt.js';
import type { ExecResult, SshSession } from './ssh-session.js';
import { runWithSudo } from './sudo-exec.js';

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
  const secrets = [currentPassword, newPassword, ...session.secrets];
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
  // session.secrets: the managing account's login password too, which the host could print.
  if (result.code !== 0) throw failed('chpasswd', result, sent, [newPassword, ...session.secrets]);
}

/** A managing account runs chpasswd through sudo (sudo-exec.ts), fed one "user:password" record once sudo accepted. */
export async function changePasswordWithSudo(
  session: SshSession,
  username: string,
  newPassword: string,
  sudoPassword: string | undefined,
  onSent?: () => void,
): Promise<void> {
  const secrets = [newPassword, ...(sudoPassword ? [sudoPassword] : []), ...session.secrets];
  let sent = false;
  const { result } = await tracking(
    () => sent,
    () =>
      runWithSudo(session, {
        command: 'chpasswd',
        what: 'run chpasswd',
        payload: `${username}:${newPassword}\n`,
        sudoPassword,
        secrets,
        onSent: () => {
          sent = true;
          onSent?.();
        },
      }),
  );
  if (result.code !== 0) throw failed('sudo chpasswd', result, sent, secrets);
}
