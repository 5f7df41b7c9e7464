/** Finds the PEM blocks in operator-supplied key text (which may hold several). */

export interface PemBlock {
  label: string;
  /** The whole block, BEGIN to END line, with LF line ends. */
  text: string;
  /** RFC 1421 headers such as `Proc-Type` / `DEK-Info` (legacy OpenSSL encryption). */
  headers: Map<string, string>;
  /** The base64 body decoded. */
  der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\n([\s\S]*?)-----END \1-----/g;

export function findPemBlocks(input: string): PemBlock[] {
  const text = input.replace(/\r\n?/g, '\n');
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1] as string;
    const lines = (match[2] as string).split('\n');
    const headers = new Map<string, string>();
    // Headers come first and end at a blank line; a body line never contains ':'.
    while (lines.length > 0 && /^[A-Za-z-]+:/.test(lines[0] as string)) {
      const line = lines.shift() as string;
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const body = lines.join('').replace(/\s+/g, '');
    blocks.push({
      label,
      text: `-----BEGIN ${label}-----\n${match[2] as string}-----END ${label}-----\n`,
      headers,
      der: Buffer.from(body, 'base64'),
    });
  }
  return blocks;
}
