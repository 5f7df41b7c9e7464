/**
 * `%text%` for ILIKE, with the pattern characters of the text escaped, so a search for `50%` or
 * `a_b` finds those characters and nothing else (backslash is ILIKE's default escape).
 */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
