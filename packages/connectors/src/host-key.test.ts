import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generateTestKeyPair, SSH_KEY_TYPES } from '@passman/testkit';
import { describeHostKey, normalizePins, pinnedHostVerifier, type HostKeyCheck } from './host-key.js';

describe('host key fingerprints', () => {
  it.each(SSH_KEY_TYPES)('match what ssh-keygen -l prints for %s', async (type) => {
    const key = await generateTestKeyPair(type);
    const dir = mkdtempSync('/tmp/passman-fp-');
    try {
      writeFileSync(join(dir, 'key.pub'), `${key.publicKey}\n`);
      const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'key.pub')], { encoding: 'utf8' });
      const blob = Buffer.from(key.publicKey.split(' ')[1]!, 'base64');
      const described = describeHostKey(blob);
      expect(printed.split(' ')[1]).toBe(described.fingerprint);
      expect(described.algorithm).toBe(type);
      expect(described.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('normalises pins and refuses anything that is not a SHA256 fingerprint', () => {
    const pin = 'SHA256:nfexYqeDcknvyUfJpk7nUqtgVQvxOyjU5Sfw1Pr4yiM';
    expect(normalizePins([pin, `${pin}=`, ` ${pin} `])).toEqual([pin, pin, pin]);
    for (const bad of ['MD5:aa:bb', 'nfexYqeDcknvyUfJpk7nUqtgVQvxOyjU5Sfw1Pr4yiM', 'SHA256:short', 42]) {
      expect(() => normalizePins([bad])).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    }
  });

  it('accepts only pinned keys and says why it refused', async () => {
    const key = await generateTestKeyPair('ssh-ed25519');
    const blob = Buffer.from(key.publicKey.split(' ')[1]!, 'base64');
    const ok: HostKeyCheck = {};
    expect(pinnedHostVerifier([key.fingerprint], ok)(blob)).toBe(true);
    expect(ok.rejection).toBeUndefined();
    const unpinned: HostKeyCheck = {};
    expect(pinnedHostVerifier([], unpinned)(blob)).toBe(false);
    expect(unpinned.rejection?.code).toBe('HOST_KEY_UNPINNED');
    const changed: HostKeyCheck = {};
    expect(pinnedHostVerifier(['SHA256:nfexYqeDcknvyUfJpk7nUqtgVQvxOyjU5Sfw1Pr4yiM'], changed)(blob)).toBe(false);
    expect(changed.rejection?.code).toBe('HOST_KEY_MISMATCH');
    expect(changed.rejection?.details).toMatchObject({ fingerprint: key.fingerprint });
  });
});
