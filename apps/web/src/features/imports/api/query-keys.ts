/** Every query key of imports. */
export const importKeys = {
  all: ['imports'] as const,
  detail: (id: string, rowsCursor?: string) => [...importKeys.all, id, rowsCursor ?? ''] as const,
};
