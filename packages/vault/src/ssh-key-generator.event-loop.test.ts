// Its own test file, so that nothing else runs on this event loop while it measures.
import { describe, it, expect } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { worstBlockingMs } from './event-loop-probe.test-util.js';
import { generateSshKey } from './ssh-key-generator.js';
import { importSshPrivateKey } from './ssh-key-import.js';
import { makeTempDir, sshKeygenGenerate } from './ssh-keygen.test-util.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event loop during key work', () => {
  it('has a probe that does catch a blocking generation (control)', async () => {
    const { blockingMs } = await worstBlockingMs(async () => {
      await pause(20);
      generateKeyPairSync('rsa', { modulusLength: 3072 }); // last step: the probe must still see it
    });
    expect(blockingMs).toBeGreaterThan(50);
  }, 60_000);

  it('is never blocked > 50 ms while generating RSA-4096, RSA-3072 and the other types', async () => {
    await generateSshKey({ type: 'ssh-ed25519' }); // warm up first-call code paths
    const { blockingMs, stalls } = await worstBlockingMs(() =>
      Promise.all([
        generateSshKey({ type: 'ssh-rsa', bits: 4096 }),
        generateSshKey({ type: 'ssh-rsa', bits: 4096 }),
        generateSshKey({ type: 'ssh-rsa', bits: 3072 }),
        generateSshKey({ type: 'ssh-rsa', bits: 3072 }),
        generateSshKey({ type: 'ssh-dss' }),
        generateSshKey({ type: 'ecdsa-sha2-nistp256' }),
      ]),
    );
    expect([blockingMs < 50, stalls]).toEqual([true, stalls]);
  }, 120_000);

  it('is never blocked > 50 ms while decrypting a passphrase-protected OpenSSH key (bcrypt KDF)', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      // 64 rounds: about 0.8 s of pure-JS bcrypt, which runs in a worker thread
      const { text } = await sshKeygenGenerate(dir, 'enc', { type: 'ed25519', passphrase: 'pass phrase', extra: ['-a', '64'] });
      const { blockingMs, stalls } = await worstBlockingMs(() => importSshPrivateKey(text, { passphrase: 'pass phrase' }));
      expect([blockingMs < 50, stalls]).toEqual([true, stalls]);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
