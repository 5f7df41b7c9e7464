/** Every query key of policies: invalidate `all` to refetch what is under it. */
export const policyKeys = {
  all: ['policies'] as const,
  list: () => [...policyKeys.all, 'list'] as const,
};
