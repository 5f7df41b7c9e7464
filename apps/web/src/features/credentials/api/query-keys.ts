/** Every query key of credentials: invalidate `all` to refetch what is under it. */
export const credentialKeys = {
  all: ['credentials'] as const,
  ofAccount: (accountId: string) => [...credentialKeys.all, 'account', accountId] as const,
  versions: (credentialId: string) => [...credentialKeys.all, 'versions', credentialId] as const,
};
