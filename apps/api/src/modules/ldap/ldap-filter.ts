/**
 * Builds LDAP search filters from the admin's templates. Every value put into a template is
 * escaped as RFC 4515 says (`*`, `(`, `)`, `\` and NUL as \XX, and every byte outside printable
 * ASCII), so a username such as `*)(uid=*` matches only a user literally named so.
 */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const unsafe = byte === 0x2a || byte === 0x28 || byte === 0x29 || byte === 0x5c || byte < 0x20 || byte > 0x7e;
    out += unsafe ? `\\${byte.toString(16).padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}

/** The template with each `{name}` replaced by its escaped value; a placeholder without a value stays as typed. */
export function fillFilter(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) => (name in values ? escapeFilterValue(values[name]!) : whole));
}

/** The template with `{username}` as a wildcard: the filter every directory user matches (for counting and sync). */
export function anyUserFilter(template: string): string {
  return template.replace(/\{username\}/g, '*');
}

/** DNs compared as directories compare them: case-insensitively, ignoring spaces around separators. */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .replace(/\s*([,=+])\s*/g, '$1')
    .toLowerCase();
}
