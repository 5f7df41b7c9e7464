/** Alerts: the header's notification bell and the list of open alerts. */
export const alerts = {
  'alerts.heading': 'Alerts',
  'alerts.bell': 'Alerts',
  'alerts.bellUnread': 'Alerts: {count, plural, one {# unread} other {# unread}}',
  'alerts.listLabel': 'Open alerts',
  'alerts.loading': 'Loading alerts…',
  'alerts.empty': 'No open alerts.',
  'alerts.unread': '(unread)',
  'alerts.since': 'Since {when}',
  'alerts.markRead': 'Mark read',
  'alerts.markAllRead': 'Mark all read',
  'alerts.rule.rotation_overdue': 'Rotation overdue',
  'alerts.rule.not_in_sync': 'Not in sync',
  'alerts.rule.job_unverified': 'Change unverified',
  'alerts.rule.checkout_overdue': 'Checkout overdue',
  'alerts.rule.host_key_changed': 'Host key changed',
} as const;
