import { hostname } from 'node:os';
import type { Command } from 'commander';
import { createPassman } from '@passman/sdk';
import type { CommandContext, GlobalFlags } from '../context.js';
import { envValue } from '../config.js';
import { CliError, EXIT } from '../exit-codes.js';
import { loadProfile, profileDir, removeProfile, saveProfile } from '../profile.js';

export function registerLogin(program: Command, { io, run }: CommandContext): void {
  program
    .command('login')
    .description(
      'log in with your password (typed, or piped on stdin) and, for a user with a second factor, its code (typed, or piped on the next line); keep an API token in your profile, readable only by you',
    )
    .requiredOption('--username <name>', 'your PassMan user name')
    .option('--days <n>', 'how long the token lives', '30')
    .action(async (options: { username: string; days: string }) => {
      const flags = program.opts<GlobalFlags>();
      const url = flags.url ?? envValue(io.env, 'PASSMAN_URL');
      if (!url) throw new CliError(EXIT.USAGE, 'no PassMan URL: give --url or set PASSMAN_URL');
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1 || days > 365) throw new CliError(EXIT.USAGE, '--days must be a whole number from 1 to 365');
      const fingerprint = flags.fingerprint ?? envValue(io.env, 'PASSMAN_FINGERPRINT');
      const caFile = flags.caFile ?? envValue(io.env, 'PASSMAN_CA_FILE');
      const tls = fingerprint || caFile ? { ...(fingerprint ? { fingerprint256: fingerprint } : {}), ...(caFile ? { caFile } : {}) } : undefined;
      // Piped: the password on the first line, and, for a user with a second factor, its code on the second.
      const piped = io.stdinIsTty ? null : (await io.readStdin()).split(/\r?\n/);
      const password = piped ? (piped[0] ?? '') : await io.promptSecret(`Password for ${options.username}: `);
      if (password === '') throw new CliError(EXIT.USAGE, 'no password: type it, or pipe it on stdin');

      const pm = createPassman({ url, tls, userAgent: 'passman-cli' });
      try {
        let session = await pm.login({ username: options.username, password });
        if (!('csrfToken' in session)) {
          const code = (piped ? (piped[1] ?? '') : await io.promptSecret('Code from your authenticator app, or a recovery code: ')).trim();
          if (code === '') throw new CliError(EXIT.AUTH, 'this user has a second factor: type its code, or pipe the password and the code on two lines');
          const proof = /^\d{6}$/.test(code) ? { totpCode: code } : { recoveryCode: code };
          session = await pm.loginMfa.secondFactor({ body: { challenge: session.challenge, ...proof } });
        }
        const created = await pm.tokens.create({
          body: { name: `passman-cli@${hostname()}`.slice(0, 100), scopes: session.user.permissions, expiresInDays: days },
        });
        const dir = saveProfile(io.env, { url, ...(fingerprint ? { fingerprint } : {}), ...(caFile ? { caFile } : {}), tokenId: created.id }, created.token);
        io.stdout(`logged in as ${session.user.username}; token kept in ${dir} until ${created.expiresAt}\n`);
      } finally {
        await pm.logout().catch(() => undefined);
        await pm.close();
      }
    });

  program
    .command('logout')
    .description('revoke the token passman login kept, and forget it')
    .action(() =>
      run(async (pm) => {
        const saved = loadProfile(io.env);
        if (!saved) throw new CliError(EXIT.USAGE, `no profile in ${profileDir(io.env)}`);
        await pm.tokens.revoke({ params: { id: saved.profile.tokenId } });
        removeProfile(io.env);
        io.stdout('logged out: the token is revoked\n');
        return EXIT.OK;
      }),
    );
}
