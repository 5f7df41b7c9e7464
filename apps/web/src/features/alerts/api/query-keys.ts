import type { AlertListQuery } from '@passman/contracts';

export type AlertListParams = Partial<AlertListQuery>;

/** Every query key of alerts: invalidate `all` after marking read (the bell's count and lists show it). */
export const alertKeys = {
  all: ['alerts'] as const,
  lists: () => [...alertKeys.all, 'list'] as const,
  list: (params: AlertListParams) => [...alertKeys.lists(), params] as const,
  unreadCount: () => [...alertKeys.all, 'unread-count'] as const,
};
