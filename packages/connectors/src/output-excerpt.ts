const KEEP = 500;
/** Control characters other than tab and newline, and lone surrogates: PostgreSQL refuses NUL in text and lone surrogates in jsonb. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Remote output shown in errors (and stored with the job): the tail only, with every secret of
 * the operation blanked out first (a secret cut in half by the tail would otherwise show its
 * end), and whatever a hostile host could send to break storage or a terminal (NUL, escape
 * sequences, half a surrogate pair) replaced by U+FFFD.
 */
export function outputExcerpt(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  out = out.slice(-KEEP);
  return out.replace(UNSAFE, '\ufffd').trim();
}

/** One line of text a host chose (say the reason of its DISCONNECT): storable, one line, at most `max` characters. */
export function remoteLine(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(UNSAFE, '\ufffd').replace(/[\t\n]/g, ' ').trim();
}
