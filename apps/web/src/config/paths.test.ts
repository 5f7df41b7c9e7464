import { describe, expect, it } from '@jest/globals';
import { safeInternalPath } from './paths';

const origin = 'https://passman.example';
const safe = (value: string | null | undefined) => safeInternalPath(value, '/accounts', origin);

describe('safeInternalPath: where the login page may send the user back to', () => {
  it('keeps a path of this app with its query and fragment', () => {
    expect(safe('/targets?q=web&pages=abc#top')).toBe('/targets?q=web&pages=abc#top');
  });

  it.each([
    ['another host', '//evil.example/x'],
    ['a backslash the browser reads as a slash', '/\\evil.example'],
    ['a tab the browser drops', '/\t/evil.example'],
    ['a newline the browser drops', '/\n/evil.example'],
    ['an absolute URL', 'https://evil.example/'],
    ['a scheme', 'javascript:alert(1)'],
    ['the login page itself', '/login?redirectTo=/login'],
    ['nothing', ''],
    ['an oversized value', `/${'a'.repeat(3000)}`],
  ])('falls back for %s', (_what, value) => {
    expect(safe(value)).toBe('/accounts');
  });
});
