import type { FieldErrors } from 'react-hook-form';

/**
 * The message under each field: the form's own check (the contract's schema, through the zod
 * resolver) in the catalogue's words where `words` has the field, else the schema's; then what
 * the API said about fields the form does not check.
 */
export function fieldMessages(
  client: FieldErrors,
  server: Record<string, string | undefined>,
  words: Record<string, string> = {},
): Record<string, string | undefined> {
  const messages: Record<string, string | undefined> = { ...server };
  for (const [field, error] of Object.entries(client)) {
    if (!error) continue;
    messages[field] = words[field] ?? firstMessage(error);
  }
  return messages;
}

function firstMessage(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { message } = error as { message?: unknown };
  if (typeof message === 'string' && message) return message;
  for (const nested of Object.values(error)) {
    const found = firstMessage(nested);
    if (found) return found;
  }
  return undefined;
}
