/**
 * The dashboard's alerts: a slot for the alerts feature, which fills it. Until then it renders
 * nothing, so the page's layout does not wait on it.
 */
export function DashboardAlertsPanel() {
  return null;
}
