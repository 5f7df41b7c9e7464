/**
 * The fields of a PATCH body that really change the stored value (arrays compare by
 * content), so an audit event lists what changed rather than what was sent.
 */
export function changedFields<I extends object>(before: { [K in keyof I]: unknown }, input: I): (keyof I & string)[] {
  return (Object.keys(input) as (keyof I & string)[])
    .filter((key) => input[key] !== undefined && JSON.stringify(input[key]) !== JSON.stringify(before[key]))
    .sort();
}

/** `{ field: { from, to } }` for changed fields whose values may appear in an audit event (never secrets). */
export function changeLog<I extends object>(
  before: { [K in keyof I]: unknown },
  input: I,
  fields: (keyof I & string)[],
): Record<string, { from: unknown; to: unknown }> {
  return Object.fromEntries(fields.map((f) => [f, { from: before[f] ?? null, to: input[f] ?? null }]));
}
