import { lazy, Suspense } from 'react';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import type { PermissionsTabProps } from './permissions-tab';

// The Permissions tab is opened far less often than the lists are: its code comes with its first opening.
const PermissionsTab = lazy(() => import('./permissions-tab').then((module) => ({ default: module.PermissionsTab })));

export function LazyPermissionsTab(props: PermissionsTabProps) {
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          <Spinner size="sm" /> {t('table.loading')}
        </p>
      }
    >
      <PermissionsTab {...props} />
    </Suspense>
  );
}
