import { describe, expect, it } from '@jest/globals';
import { DEFAULT_WEBHOOK_URL_POLICY, guardedLookup, refusedAddress, refusedUrl } from './webhook-url.js';

describe('where webhooks may point', () => {
  it.each([
    ['169.254.169.254', /link-local or a cloud metadata/],
    ['169.254.0.1', /link-local/],
    ['fe80::1', /link-local/],
    ['fd00:ec2::254', /metadata/],
    ['100.100.100.200', /metadata/],
    ['::ffff:169.254.169.254', /link-local/],
    ['::ffff:a9fe:a9fe', /link-local/],
    ['0.0.0.0', /not a unicast/],
    ['::', /not a unicast/],
    ['224.0.0.1', /not a unicast/],
    ['255.255.255.255', /not a unicast/],
  ])('refuses %s by default', (address, why) => {
    expect(refusedAddress(address, DEFAULT_WEBHOOK_URL_POLICY)).toMatch(why);
  });

  it.each(['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '203.0.113.7', '2001:db8::1'])('allows %s (loopback, private and public receivers)', (address) => {
    expect(refusedAddress(address, DEFAULT_WEBHOOK_URL_POLICY)).toBeNull();
  });

  it('allows link-local addresses only when told to, and never "nowhere"', () => {
    const policy = { allowedHosts: [], allowLinkLocal: true };
    expect(refusedAddress('169.254.169.254', policy)).toBeNull();
    expect(refusedUrl('http://[fe80::1]/hook', policy)).toBeNull();
    expect(refusedAddress('0.0.0.0', policy)).toMatch(/not a unicast/);
  });

  it('with an allow-list, only the hosts on it (names compared without case, IPv6 without brackets)', () => {
    const policy = { allowedHosts: ['hooks.example.com', '::1'], allowLinkLocal: false };
    expect(refusedUrl('https://HOOKS.example.com/x', policy)).toBeNull();
    expect(refusedUrl('http://[::1]:8080/x', policy)).toBeNull();
    expect(refusedUrl('https://evil.example.com/x', policy)).toMatch(/not among the allowed webhook hosts/);
    expect(refusedUrl('https://hooks.example.com.evil.example/x', policy)).toMatch(/not among/);
  });

  it('checks the address a name resolves to when sending (a name may point anywhere)', async () => {
    const lookup = guardedLookup({ allowedHosts: [], allowLinkLocal: false });
    const resolved = await new Promise<string>((resolve, reject) =>
      lookup('localhost', { family: 4 }, (err, address) => (err ? reject(err) : resolve(address as string))),
    );
    expect(resolved).toBe('127.0.0.1');
    const strict = { allowedHosts: [], allowLinkLocal: false };
    // 127.0.0.1 is fine; the same lookup refuses what the policy refuses, e.g. a name for 0.0.0.0.
    const refused = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup(strict)('0.0.0.0', { family: 4 }, (err) => resolve(err)));
    expect(refused?.code).toBe('WEBHOOK_ADDRESS_REFUSED');
  });
});
