/**
 * Decrypts passphrase-protected private keys in a worker thread.
 *
 * The key derivations are deliberately slow and synchronous: OpenSSH's bcrypt KDF runs
 * in sshpk's pure JavaScript (~190 ms at ssh-keygen's default 16 rounds here, and
 * linear in the rounds), and PKCS#8's PBKDF2 runs inside OpenSSL on the calling
 * thread with an iteration count chosen by whoever made the key. On the event loop
 * either would stall every request, so they run on a short-lived worker with a
 * deadline. The worker is plain CommonJS source so it runs the same from TypeScript
 * sources (tests, tsx) and from the compiled package.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { VaultError } from './vault-error.js';

export type DecryptKind = 'openssh' | 'pem';

export type DecryptOutcome =
  { ok: true; /** OpenSSH (kind openssh) or PKCS#8 PEM (kind pem), unencrypted. */ text: string } | { ok: false; reason: 'wrong-passphrase' | 'timeout' };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { kind, text, sshpkPath } = workerData;
// A Buffer arrives as a plain Uint8Array, which sshpk does not take as a passphrase.
const passphrase = typeof workerData.passphrase === 'string' ? workerData.passphrase : Buffer.from(workerData.passphrase);
let result;
try {
  if (kind === 'openssh') {
    const sshpk = require(sshpkPath);
    const key = sshpk.parsePrivateKey(text, 'ssh', { passphrase });
    key.comment = key.comment === '(unnamed)' ? '' : key.comment;
    result = { ok: true, text: key.toString('openssh') };
  } else {
    const crypto = require('node:crypto');
    const key = crypto.createPrivateKey({ key: text, format: 'pem', passphrase });
    result = { ok: true, text: key.export({ type: 'pkcs8', format: 'pem' }) };
  }
} catch {
  // The cause may quote key material; only the fact of failure leaves the worker.
  result = { ok: false, reason: 'wrong-passphrase' };
}
parentPort.postMessage(result);
`;

const sshpkPath = createRequire(import.meta.url).resolve('sshpk');

export function decryptKeyInWorker(kind: DecryptKind, text: string, passphrase: string | Buffer, timeoutMs: number): Promise<DecryptOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { kind, text, passphrase, sshpkPath },
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (outcome: DecryptOutcome | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    // A crash (e.g. the memory limit hit by a hostile key) is reported like a key that
    // cannot be read; the worker's own error may quote key material, so it is dropped.
    const crashed = () => new VaultError('KEY_PARSE_FAILED', 'the key could not be decrypted', { details: { worker: 'crashed' } });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), timeoutMs);
    worker.once('message', (message: DecryptOutcome) => finish(message));
    worker.once('error', () => finish(crashed()));
    worker.once('exit', () => finish(crashed()));
  });
}
