/** How much of a command's output an error keeps: its tail, where the reason usually is. */
export const EXCERPT_LENGTH = 500;

/** Shorter fragments than this at the edges of the output are left alone: they would blank ordinary text. */
const MIN_PARTIAL = 3;
const MASK = '***';
/**
 * Control characters other than tab and newline, and lone surrogates: PostgreSQL refuses NUL in
 * text and lone surrogates in jsonb. Also the bidirectional controls, which would make the
 * excerpt show in another order than the host wrote it.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Remote output shown in errors: every secret of the operation blanked out FIRST, then the tail
 * kept. Truncating first could cut a secret so that no longer matched it and left the rest
 * readable. The output may itself have been cut where it was captured, so the start of a secret
 * at its very end (and the end of one at its very start) is blanked too. What a hostile host
 * could print to break storage or a terminal, or to reorder what a reader sees (NUL, escape
 * sequences, bidirectional controls, half a surrogate pair, also one made by cutting the tail)
 * becomes U+FFFD: the excerpt is stored with the job.
 */
export function outputExcerpt(text: string, secrets: readonly string[]): string {
  let out = blankSecrets(text, secrets);
  for (const secret of longestFirst(secrets)) out = blankCutEdges(out, secret);
  return out.slice(-EXCERPT_LENGTH).replace(UNSAFE, '\ufffd').trim();
}

/** Longest first: a secret that contains another must be blanked whole. */
const longestFirst = (secrets: readonly string[]) => [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);

/** `text` with every whole occurrence of each secret replaced by a mask. */
export function blankSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of longestFirst(secrets)) out = out.split(secret).join(MASK);
  return out;
}

function blankCutEdges(text: string, secret: string): string {
  let out = text;
  for (let n = secret.length - 1; n >= MIN_PARTIAL; n -= 1) {
    if (out.endsWith(secret.slice(0, n))) {
      out = out.slice(0, -n) + MASK;
      break;
    }
  }
  for (let n = secret.length - 1; n >= MIN_PARTIAL; n -= 1) {
    if (out.startsWith(secret.slice(-n))) {
      out = MASK + out.slice(n);
      break;
    }
  }
  return out;
}

/**
 * One line of text a host chose (say the reason of its DISCONNECT): the secrets it was sent
 * blanked before the cut, storable, one line, at most `max` characters.
 */
export function remoteLine(text: string, secrets: readonly string[] = [], max = 200): string {
  const blanked = blankSecrets(text, secrets);
  const cut = blanked.length > max ? `${blanked.slice(0, max)}…` : blanked;
  return cut
    .replace(UNSAFE, '\ufffd')
    .replace(/[\t\n]/g, ' ')
    .trim();
}
