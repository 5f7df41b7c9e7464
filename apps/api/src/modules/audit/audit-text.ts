/**
 * What an audit event may hold: PostgreSQL text and jsonb refuse NUL characters and lone UTF-16
 * surrogates, so an event carrying one (a username typed at a failed login, say) would fail to
 * be written — and fail the action it records. Both are replaced by U+FFFD here, in values and
 * in object keys; the event is stored, and hashed, as replaced. (The HTTP boundary refuses such
 * input too; this is the last line.)
 */
// A high surrogate not followed by a low one, a low one not preceded by a high one, or NUL.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => storableJson(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v)])) as T;
  }
  return value;
}
