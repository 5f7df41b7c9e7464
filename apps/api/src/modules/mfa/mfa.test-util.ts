import { generate } from 'otplib';
import { expect } from '@jest/globals';
import type { LoggedIn } from '../../test/factories.js';

/** The code an authenticator app shows at `at` (plus `steps` periods of drift). */
export const totpAt = (secret: string, at: Date, steps = 0): Promise<string> => generate({ secret, epoch: Math.floor(at.getTime() / 1000) + steps * 30 });

/** A clock the test moves: the second factors' time (TOTP steps, challenge expiry). */
export function testClock(start = new Date('2026-12-07T10:00:05Z')) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

/** Enrols an authenticator app for the session's user and confirms it; returns its secret and the recovery codes issued. */
export async function enrolTotp(session: LoggedIn, at: Date, options: { steps?: number } = {}) {
  const start = await session.agent.post('/api/v1/mfa/totp').set('X-CSRF-Token', session.csrf).send({}).expect(201);
  const { factorId, secret } = start.body as { factorId: string; secret: string };
  const confirmed = await session.agent
    .post(`/api/v1/mfa/totp/${factorId}/confirm`)
    .set('X-CSRF-Token', session.csrf)
    .send({ code: await totpAt(secret, at, options.steps ?? 0) });
  expect(confirmed.status).toBe(200);
  return { factorId, secret, recoveryCodes: (confirmed.body as { recoveryCodes: string[] | null }).recoveryCodes };
}
