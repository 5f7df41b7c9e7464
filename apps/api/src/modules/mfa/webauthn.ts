import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { WebAuthnCredential, WebAuthnOptions } from '@passman/contracts';

/** Who the passkeys belong to: the relying party is PassMan at its public URL (PASSMAN_PUBLIC_URL). */
export interface WebAuthnRelyingParty {
  rpId: string;
  rpName: string;
  /** Origins a browser may sign for (scheme://host[:port]). */
  origins: string[];
}

/** The relying party of a public URL: its host name is the RP ID, its origin the one origin allowed. */
export function relyingPartyOf(publicUrl: string, rpName = 'PassMan'): WebAuthnRelyingParty {
  const url = new URL(publicUrl);
  return { rpId: url.hostname, rpName, origins: [url.origin] };
}

const TIMEOUT_MS = 120_000;

const TRANSPORTS: ReadonlySet<string> = new Set<AuthenticatorTransportFuture>(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
/** The stored transports the library knows (a browser may report newer ones; they are only hints). */
const knownTransports = (transports: string[]) => transports.filter((t): t is AuthenticatorTransportFuture => TRANSPORTS.has(t));

export function registrationOptions(
  rp: WebAuthnRelyingParty,
  user: { id: string; username: string; displayName: string },
  exclude: { credentialId: string; transports: string[] }[],
): Promise<WebAuthnOptions> {
  return generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userName: user.username,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: exclude.map((c) => ({ id: c.credentialId, transports: knownTransports(c.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  }) as unknown as Promise<WebAuthnOptions>;
}

/** The new credential when the response signs `challenge` for this RP and origin; null otherwise. */
export async function verifyRegistration(rp: WebAuthnRelyingParty, credential: WebAuthnCredential, challenge: string) {
  try {
    const result = await verifyRegistrationResponse({
      response: credential as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    const c = result.registrationInfo.credential;
    return { credentialId: c.id, publicKey: new Uint8Array(c.publicKey), signCount: BigInt(c.counter), transports: c.transports ?? [] };
  } catch {
    // A malformed or forged response is simply not a valid registration.
    return null;
  }
}

export function assertionOptions(rp: WebAuthnRelyingParty, allow: { credentialId: string; transports: string[] }[]): Promise<WebAuthnOptions> {
  return generateAuthenticationOptions({
    rpID: rp.rpId,
    timeout: TIMEOUT_MS,
    userVerification: 'preferred',
    allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: knownTransports(c.transports) })),
  }) as unknown as Promise<WebAuthnOptions>;
}

/** The authenticator's new signature counter when the assertion is valid for this stored credential; null otherwise. */
export async function verifyAssertion(
  rp: WebAuthnRelyingParty,
  credential: WebAuthnCredential,
  challenge: string,
  stored: { credentialId: string; publicKey: Uint8Array; signCount: bigint; transports: string[] },
): Promise<bigint | null> {
  try {
    const result = await verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      credential: {
        id: stored.credentialId,
        publicKey: new Uint8Array(stored.publicKey),
        counter: Number(stored.signCount),
        transports: knownTransports(stored.transports),
      },
      requireUserVerification: false,
    });
    return result.verified ? BigInt(result.authenticationInfo.newCounter) : null;
  } catch {
    return null;
  }
}
