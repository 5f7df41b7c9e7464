import type { MfaLoginChallenge, PendingLogin, SecondFactorProof, WebAuthnCredential } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import type { Tx } from '../../db/transaction.js';
import { AppError } from '../../lib/app-error.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { passwordStampOf } from '../auth/auth.service.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { hashToken, randomToken } from '../auth/secret-tokens.js';
import type { ChallengePurpose, MfaRepo } from './mfa.repo.js';
import { hashRecoveryCode } from './recovery-codes.js';
import { matchTotpStep, openTotpSecret } from './totp.js';
import { assertionOptions, verifyAssertion, type WebAuthnRelyingParty } from './webauthn.js';

/** A login's second step, a passkey registration and a step-up each have this long. */
export const MFA_CHALLENGE_TTL_MS = 5 * 60_000;

export type ProvenMethod = 'totp' | 'recovery-code' | 'webauthn';

/** The challenge a browser signed, read from the WebAuthn response's client data (verified later, against what was stored). */
export function signedChallengeOf(credential: WebAuthnCredential): string | null {
  try {
    const data = JSON.parse(Buffer.from(credential.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' && data.challenge.length <= 512 ? data.challenge : null;
  } catch {
    return null;
  }
}

const wrongFactor = () => new AppError('MFA_CODE_INVALID', 'That second factor is wrong, used already or expired');
const badChallenge = () => new AppError('MFA_CHALLENGE_INVALID', 'The login has expired or was completed already: log in again');

/**
 * Proving a second factor: the second step of a login, and `verifySecondFactor`, which any
 * other module (step-up re-authentication) calls to check a fresh proof. Every attempt goes
 * through the login throttle, keyed by the user.
 */
export function createSecondFactorService(deps: {
  repo: MfaRepo;
  vault: Vault;
  audit: AuditService;
  throttle: LoginThrottle;
  rp: WebAuthnRelyingParty;
  /** Opens the session once the second factor is proven (auth.service.ts completeLogin). */
  completeLogin: (
    userId: string,
    passwordStamp: string,
    ctx: RequestContext,
    details: Record<string, string>,
  ) => Promise<{ actor: Actor; sessionToken: string; maxAgeMs: number } | null>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const throttleSubject = (userId: string) => `mfa:${userId}`;

  async function webAuthnAllowList(userId: string) {
    const factors = await deps.repo.confirmedFactors(userId);
    return factors.filter((f) => f.kind === 'webauthn' && f.credentialId).map((f) => ({ credentialId: f.credentialId!, transports: f.transports }));
  }

  /** The method proven, or null. Each proof is spent atomically: a TOTP step, a recovery code, a signature counter. */
  async function prove(userId: string, proof: SecondFactorProof, webauthnChallenge: string | null, at: Date): Promise<ProvenMethod | null> {
    if (proof.totpCode !== undefined) {
      for (const factor of await deps.repo.confirmedFactors(userId)) {
        if (factor.kind !== 'totp') continue;
        const step = await matchTotpStep(openTotpSecret(deps.vault, factor), proof.totpCode, at);
        if (step !== null && (await deps.repo.acceptTimeStep(factor.id, step, at, false))) return 'totp';
      }
      return null;
    }
    if (proof.recoveryCode !== undefined) {
      return (await deps.repo.useRecoveryCode(userId, hashRecoveryCode(proof.recoveryCode), at)) ? 'recovery-code' : null;
    }
    if (proof.webauthn !== undefined && webauthnChallenge) {
      const factor = await deps.repo.findWebAuthnFactor(proof.webauthn.id);
      if (!factor || factor.userId !== userId || !factor.confirmedAt || !factor.publicKey || factor.signCount === null) return null;
      const stored = { credentialId: factor.credentialId!, publicKey: factor.publicKey, signCount: factor.signCount, transports: factor.transports };
      const counter = await verifyAssertion(deps.rp, proof.webauthn, webauthnChallenge, stored);
      if (counter === null) return null;
      // A counter that does not grow (where the authenticator keeps one) means a cloned authenticator.
      if ((counter > 0n || factor.signCount > 0n) && counter <= factor.signCount) return null;
      return (await deps.repo.acceptSignCount(factor.id, factor.signCount, counter, at)) ? 'webauthn' : null;
    }
    return null;
  }

  async function recordRecoveryCodeUse(ctx: RequestContext, userId: string): Promise<void> {
    const left = await deps.repo.countUnusedRecoveryCodes(userId);
    await deps.audit.record(ctx, { action: 'mfa.recovery-code.use', objectType: 'user', objectId: userId, details: { recoveryCodesLeft: left } });
  }

  async function newChallenge(userId: string, purpose: ChallengePurpose, extra: { passwordStamp?: string; webauthnChallenge?: string } = {}) {
    const token = randomToken();
    const expiresAt = new Date(now().getTime() + MFA_CHALLENGE_TTL_MS);
    // For a WebAuthn-only challenge the signed challenge itself is the lookup key.
    const tokenHash = hashToken(extra.webauthnChallenge && purpose !== 'login' ? extra.webauthnChallenge : token);
    await deps.repo.createChallenge({ tokenHash, userId, purpose, expiresAt, ...extra });
    return { token, expiresAt };
  }

  /** How this user can prove a second factor (none: the user has no factor). In `tx` when given (a caller inside a transaction). */
  async function methodsOf(userId: string, tx?: Tx): Promise<ProvenMethod[]> {
    const factors = await (tx ? deps.repo.within(tx) : deps.repo).confirmedFactors(userId);
    if (factors.length === 0) return [];
    const methods: ProvenMethod[] = [];
    if (factors.some((f) => f.kind === 'totp')) methods.push('totp');
    if (factors.some((f) => f.kind === 'webauthn')) methods.push('webauthn');
    methods.push('recovery-code');
    return methods;
  }

  return {
    methodsOf,

    /** The second step of this user's login, or null when the user has no second factor. */
    async issueLoginChallenge(user: { id: string; passwordHash: string }): Promise<MfaLoginChallenge | null> {
      const methods = await methodsOf(user.id);
      if (methods.length === 0) return null;
      const { token, expiresAt } = await newChallenge(user.id, 'login', { passwordStamp: passwordStampOf(user.passwordHash) });
      return { mfaRequired: true, challenge: token, methods, expiresAt: expiresAt.toISOString() };
    },

    /** What a login's second step waits for, without its challenge (single sign-on keeps that in a cookie). */
    async pendingLogin(challengeToken: string | undefined): Promise<PendingLogin> {
      const challenge = challengeToken ? await deps.repo.findChallenge(hashToken(challengeToken), 'login', now()) : null;
      if (!challenge || challenge.user.disabledAt) throw badChallenge();
      return { mfaRequired: true, methods: await methodsOf(challenge.userId), expiresAt: challenge.expiresAt.toISOString() };
    },

    /** Options to sign the second step of a login with a passkey; the WebAuthn challenge is kept on the login challenge. */
    async loginWebAuthnOptions(challengeToken: string | undefined) {
      const challenge = challengeToken ? await deps.repo.findChallenge(hashToken(challengeToken), 'login', now()) : null;
      if (!challenge || challenge.user.disabledAt) throw badChallenge();
      const allow = await webAuthnAllowList(challenge.userId);
      if (allow.length === 0) throw new AppError('UNPROCESSABLE', 'No passkey is registered for this user');
      const options = await assertionOptions(deps.rp, allow);
      await deps.repo.setWebAuthnChallenge(challenge.id, options.challenge);
      return options;
    },

    /** The second step of a login: the session, once the factor is proven and the challenge spent. */
    async completeLogin(challengeToken: string | undefined, proof: SecondFactorProof, ctx: RequestContext) {
      const challenge = challengeToken ? await deps.repo.findChallenge(hashToken(challengeToken), 'login', now()) : null;
      if (!challenge || challenge.user.disabledAt || !challenge.passwordStamp) throw badChallenge();
      const userId = challenge.userId;
      const attempt = await deps.throttle.admit(throttleSubject(userId), ctx.ip);
      const method = await prove(userId, proof, challenge.webauthnChallenge, now());
      if (!method) {
        await deps.audit.record(ctx, {
          action: 'auth.login',
          objectType: 'user',
          objectId: userId,
          outcome: 'failure',
          actorName: challenge.user.username,
          details: { reason: 'wrong-second-factor', method: proof.totpCode ? 'totp' : proof.recoveryCode ? 'recovery-code' : 'webauthn' },
        });
        await attempt.failed();
        throw wrongFactor();
      }
      if (!(await deps.repo.consumeChallenge(challenge.id, now()))) throw badChallenge();
      const opened = await deps.completeLogin(userId, challenge.passwordStamp, ctx, { secondFactor: method });
      if (!opened) throw badChallenge();
      await attempt.succeeded();
      if (method === 'recovery-code') await recordRecoveryCodeUse({ ...ctx, actor: opened.actor }, userId);
      return opened;
    },

    /**
     * For step-up: options to sign with one of the user's passkeys. The WebAuthn challenge is
     * stored (single use, a few minutes) and found again from the signed response.
     */
    async stepUpWebAuthnOptions(userId: string) {
      const allow = await webAuthnAllowList(userId);
      if (allow.length === 0) throw new AppError('UNPROCESSABLE', 'No passkey is registered for this user');
      const options = await assertionOptions(deps.rp, allow);
      await newChallenge(userId, 'step-up', { webauthnChallenge: options.challenge });
      return options;
    },

    /**
     * Checks a fresh second factor of `userId` (a TOTP code, a recovery code, or an assertion
     * over options from stepUpWebAuthnOptions), throttled like a login and audited; throws
     * MFA_CODE_INVALID (or RATE_LIMITED) when it fails, and returns the method proven.
     */
    async verifySecondFactor(ctx: RequestContext, userId: string, proof: SecondFactorProof): Promise<ProvenMethod> {
      const attempt = await deps.throttle.admit(throttleSubject(userId), ctx.ip);
      let webauthnChallenge: string | null = null;
      if (proof.webauthn) {
        const signed = signedChallengeOf(proof.webauthn);
        const row = signed ? await deps.repo.findChallenge(hashToken(signed), 'step-up', now()) : null;
        if (row && row.userId === userId && (await deps.repo.consumeChallenge(row.id, now()))) webauthnChallenge = row.webauthnChallenge;
      }
      const method = await prove(userId, proof, webauthnChallenge, now());
      if (!method) {
        await deps.audit.record(ctx, {
          action: 'mfa.verify',
          objectType: 'user',
          objectId: userId,
          outcome: 'failure',
          details: { reason: 'wrong-second-factor' },
        });
        await attempt.failed();
        throw wrongFactor();
      }
      await attempt.succeeded();
      if (method === 'recovery-code') await recordRecoveryCodeUse(ctx, userId);
      return method;
    },

    /** For a passkey registration: a stored, single-use challenge the new credential must sign. */
    newRegistrationChallenge: (userId: string, webauthnChallenge: string) => newChallenge(userId, 'webauthn-registration', { webauthnChallenge }),

    purgeExpiredChallenges: () => deps.repo.deleteExpiredChallenges(now()),
  };
}

export type SecondFactorService = ReturnType<typeof createSecondFactorService>;
