import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { t } from '@/i18n';

interface State {
  error: unknown;
}

/** Last line of defence: a render error shows a reload page instead of a blank screen. */
export class AppErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error ?? new Error('Unknown error') };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The browser console is the only place a render crash can be reported from here.
    // eslint-disable-next-line no-console
    console.error('Unhandled render error', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <main className="full-page">
        <div role="alert" className="page--message">
          <h1>{t('errors.boundary.heading')}</h1>
          <p>{t('errors.boundary.body')}</p>
          <Button variant="primary" onClick={() => window.location.reload()}>
            {t('errors.boundary.reload')}
          </Button>
        </div>
      </main>
    );
  }
}
