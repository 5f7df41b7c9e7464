import type { ApprovalListQuery } from '@passman/contracts';

export type ApprovalListParams = Partial<ApprovalListQuery>;

/** Every query key of approvals: invalidate `all` after any change (lists, the badge's count and rules show in several places). */
export const approvalKeys = {
  all: ['approvals'] as const,
  lists: () => [...approvalKeys.all, 'list'] as const,
  list: (params: ApprovalListParams) => [...approvalKeys.lists(), params] as const,
  waitingCount: () => [...approvalKeys.all, 'waiting-count'] as const,
  rules: (type: 'folder' | 'account', id: string) => [...approvalKeys.all, 'rules', type, id] as const,
};
