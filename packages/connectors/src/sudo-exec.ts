import { randomBytes } from 'node:crypto';
import { ConnectorError } from './connector-error.js';
import { outputExcerpt } from './output-excerpt.js';
import type { ExecResult, SshSession } from './ssh-session.js';

export interface SudoRun {
  result: ExecResult;
  /** Whether the payload was written (sudo had accepted by then). */
  sent: boolean;
}

/**
 * Runs `sudo -n <command>` as a managing account and feeds `payload` to it on stdin. sudo reads
 * its own password from that same stdin; where sudoers says NOPASSWD it reads nothing, and a
 * sudo password written blindly would reach the command instead. So it goes in steps, each
 * told apart by a random marker: `sudo -v` (which prompts only when a password is needed)
 * validates first, `sudo -l` then asks whether this very command is allowed, and the payload is
 * written only after the marker line says both passed. A wrong sudo password thus never gets
 * the payload sent in its place, and a command sudoers does not allow is refused before it.
 *
 * `command` is put inside single quotes: callers build it from validated names only.
 */
export async function runWithSudo(
  session: SshSession,
  request: {
    /** What follows `sudo -n`, e.g. `chpasswd`. */
    command: string;
    /** Run it as this user (with their HOME) instead of root. */
    asUser?: string;
    /** What it does, for the refusal message: "run chpasswd". */
    what: string;
    payload: string;
    sudoPassword: string | undefined;
    secrets: readonly string[];
    onSent?: () => void;
  },
): Promise<SudoRun> {
  if (`${request.command}${request.asUser ?? ''}`.includes("'")) throw new ConnectorError('INVALID_REQUEST', 'a sudo command must not contain quotes');
  const as = request.asUser ? `-u ${request.asUser} ` : '';
  const nonce = randomBytes(8).toString('hex');
  const prompt = `PASSMAN-SUDO-${nonce}:`;
  const ready = `PASSMAN-READY-${nonce}`;
  // /bin/sh whatever the login shell is; `rc=$?` keeps the last sudo from being exec'd in
  // place of the shell, which would change its parent and lose the validated timestamp.
  const command = `/bin/sh -c 'sudo -k && sudo -S -p "${prompt}" -v && sudo -n -l ${as}${request.command} >/dev/null && echo ${ready} && sudo -n ${request.asUser ? '-H ' : ''}${as}${request.command}; rc=$?; exit $rc'`;
  const { sudoPassword } = request;
  let sentSudoPassword = false;
  let sent = false;
  let ended = false;
  let refused: 'wrong-password' | 'password-needed' | undefined;

  const result = await session.exec(command, (io) => {
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
      sent = true;
      ended = true;
      io.write(request.payload);
      io.end();
      request.onSent?.();
    }
  });
  if (!sent) {
    const message =
      refused === 'password-needed'
        ? 'sudo on the target asks the managing account for a password, and none is configured'
        : refused === 'wrong-password'
          ? "sudo on the target refused the managing account's password"
          : `sudoers on the target does not let the managing account ${request.what}`;
    throw new ConnectorError('SUDO_REJECTED', message, {
      details: { exitCode: result.code, stderr: outputExcerpt(result.stderr.split(prompt).join(''), request.secrets) },
    });
  }
  // What follows the marker line is the command's own output.
  return { result: { ...result, stdout: result.stdout.split(`${ready}\n`).slice(1).join(`${ready}\n`) }, sent };
}
