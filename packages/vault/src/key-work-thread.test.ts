// Where the vault's slow key work runs: off the main thread, so requests keep being
// served while a key is generated or decrypted. The event-loop delay itself is a
// latency figure and is reported by `npm run bench:vault`.
import { describe, it, expect } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { cpuSplitOf } from './main-thread-cpu.test-util.js';
import { generateSshKey } from './ssh-key-generator.js';
import { importSshPrivateKey } from './ssh-key-import.js';
import { makeTempDir, sshKeygenGenerate } from './ssh-keygen.test-util.js';

describe('slow key work runs off the main thread', () => {
  it('measures a synchronous generation as main-thread work (control)', async () => {
    const split = await cpuSplitOf(async () => {
      generateKeyPairSync('rsa', { modulusLength: 3072 });
    });
    expect([split.mainThreadShare > 0.8, split]).toEqual([true, split]);
  }, 60_000);

  it('generates RSA-4096, RSA-3072 and the other types with most of their CPU on other threads', async () => {
    await generateSshKey({ type: 'ssh-ed25519' }); // first-call code loading is not key work
    const split = await cpuSplitOf(() =>
      Promise.all([
        generateSshKey({ type: 'ssh-rsa', bits: 4096 }),
        generateSshKey({ type: 'ssh-rsa', bits: 4096 }),
        generateSshKey({ type: 'ssh-rsa', bits: 3072 }),
        generateSshKey({ type: 'ssh-rsa', bits: 3072 }),
        generateSshKey({ type: 'ssh-dss' }),
        generateSshKey({ type: 'ecdsa-sha2-nistp256' }),
      ]),
    );
    expect([split.mainThreadShare < 0.2, split]).toEqual([true, split]);
  }, 120_000);

  it('decrypts a passphrase-protected OpenSSH key (bcrypt KDF) with most of its CPU on another thread', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      // 64 rounds: about 0.8 s of pure-JS bcrypt, four times ssh-keygen's default
      const { text } = await sshKeygenGenerate(dir, 'enc', { type: 'ed25519', passphrase: 'pass phrase', extra: ['-a', '64'] });
      const split = await cpuSplitOf(() => importSshPrivateKey(text, { passphrase: 'pass phrase' }));
      expect([split.mainThreadShare < 0.2, split]).toEqual([true, split]);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
