/** Remote output shown in errors: the tail only, with every secret of the operation blanked out. */
export function outputExcerpt(text: string, secrets: readonly string[]): string {
  let out = text.slice(-500);
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out.trim();
}
