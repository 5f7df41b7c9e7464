/**
 * The text a search box sends: trimmed, with control characters (a pasted tab) as spaces, since
 * the API refuses them in a search; '' for no search.
 */
export const searchQueryOf = (text: string): string => text.replace(/\p{Cc}/gu, ' ').trim();
