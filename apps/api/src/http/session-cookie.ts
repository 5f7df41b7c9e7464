import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'passman_session';

export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

export function setSessionCookie(res: Response, token: string, options: { secure: boolean; maxAgeSeconds: number }): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secure,
      path: '/',
      maxAge: options.maxAgeSeconds,
    }),
  );
}

export function clearSessionCookie(res: Response, options: { secure: boolean }): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: options.secure, path: '/', maxAge: 0 }));
}

/**
 * The second step of a single sign-on login: the provider's redirect back cannot hand the
 * challenge to the console's script without putting it in a URL, so it waits in this cookie,
 * scoped to the login routes, for the second-factor request.
 */
export const LOGIN_CHALLENGE_COOKIE = 'passman_login_challenge';
const LOGIN_CHALLENGE_PATH = '/api/v1/auth/login';

export function readLoginChallengeCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[LOGIN_CHALLENGE_COOKIE] : undefined;
}

export function setLoginChallengeCookie(res: Response, challenge: string, options: { secure: boolean; maxAgeSeconds: number }): void {
  res.append(
    'Set-Cookie',
    serialize(LOGIN_CHALLENGE_COOKIE, challenge, {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secure,
      path: LOGIN_CHALLENGE_PATH,
      maxAge: options.maxAgeSeconds,
    }),
  );
}

export function clearLoginChallengeCookie(res: Response, options: { secure: boolean }): void {
  res.append(
    'Set-Cookie',
    serialize(LOGIN_CHALLENGE_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: options.secure, path: LOGIN_CHALLENGE_PATH, maxAge: 0 }),
  );
}
