import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { WebAuthnCredential, WebAuthnOptions } from '@passman/contracts';

// A software WebAuthn authenticator (ES256, "none" attestation), enough to register and sign as
// a browser with a security key would, so the API's verification runs against real signatures.

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(length, 1);
  return b;
}

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export interface SoftAuthenticator {
  credentialId: string;
  /** Answers navigator.credentials.create() for these options. */
  register(options: WebAuthnOptions, origin: string): WebAuthnCredential;
  /** Answers navigator.credentials.get() for these options. */
  assert(options: WebAuthnOptions, origin: string, rpId: string): WebAuthnCredential;
  signCount: number;
}

export function softAuthenticator(): SoftAuthenticator {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const id = randomBytes(16);
  const cose = cbor(
    new Map<number, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
  const self: SoftAuthenticator = {
    credentialId: b64url(id),
    signCount: 0,
    register(options, origin) {
      const rpId = (options.rp as { id: string }).id;
      const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([sha256(rpId), Buffer.from([0x45]), Buffer.alloc(4), Buffer.alloc(16), idLength, id, cose]);
      const attestation = cbor(
        new Map<string, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      return {
        id: self.credentialId,
        rawId: self.credentialId,
        type: 'public-key',
        response: { clientDataJSON: b64url(clientData), attestationObject: b64url(attestation), transports: ['usb'] },
        clientExtensionResults: {},
      };
    },
    assert(options, origin, rpId) {
      self.signCount += 1;
      return signAssertion(privateKey, self.credentialId, self.signCount, options.challenge, origin, rpId);
    },
  };
  return self;
}

function signAssertion(key: KeyObject, credentialId: string, counter: number, challenge: string, origin: string, rpId: string): WebAuthnCredential {
  const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }));
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  const authData = Buffer.concat([sha256(rpId), Buffer.from([0x05]), count]);
  const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), key);
  return {
    id: credentialId,
    rawId: credentialId,
    type: 'public-key',
    response: { clientDataJSON: b64url(clientData), authenticatorData: b64url(authData), signature: b64url(signature) },
    clientExtensionResults: {},
  };
}
