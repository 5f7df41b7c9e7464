import { t } from '@/i18n';
import { errorMessage, errorRequestId } from '@/lib/error-message';
import { Alert } from './alert';
import { Button } from './button';

/** A failed load: what went wrong in words, the request id, and a retry button. */
export function ErrorState({ error, heading, onRetry, retrying = false }: { error: unknown; heading?: string; onRetry?: () => void; retrying?: boolean }) {
  const requestId = errorRequestId(error);
  return (
    <div role="alert" className="error-state">
      <Alert
        meta={requestId ? t('errors.requestId', { id: requestId }) : undefined}
        action={
          onRetry && (
            <Button size="sm" onClick={onRetry} pending={retrying}>
              {t('errors.retry')}
            </Button>
          )
        }
      >
        {heading ? (
          <>
            <strong>{heading}</strong> {errorMessage(error)}
          </>
        ) : (
          errorMessage(error)
        )}
      </Alert>
    </div>
  );
}
