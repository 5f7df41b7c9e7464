import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { errorMessage, errorRequestId } from '@/lib/error-message';
import { Alert } from './alert';

/**
 * A failed submit: the error in words, the field issues no field showed, and the request id
 * to quote. `message` overrides the catalogue sentence (a dialog knows its context better).
 */
export function FormAlert({ error, message, shownFields = [] }: { error: unknown; message?: string; shownFields?: readonly string[] }) {
  const requestId = errorRequestId(error);
  const issues = isApiError(error) ? error.errors.filter((issue) => !shownFields.includes(fieldName(issue.path))) : [];
  return (
    <div role="alert" className="form-alert">
      <Alert meta={requestId ? t('errors.requestId', { id: requestId }) : undefined}>
        {message ?? errorMessage(error)}
        {issues.length > 0 && (
          <span className="form-alert__issues">
            {issues.map((issue) => (
              <span key={`${issue.path}:${issue.message}`} className="form-alert__issue">
                {fieldName(issue.path) ? `${fieldName(issue.path)}: ${issue.message}` : issue.message}
              </span>
            ))}
          </span>
        )}
      </Alert>
    </div>
  );
}

/** The API reports `body.username`, `query.q`: the field is what follows the first dot. */
export function fieldName(path: string): string {
  return path.replace(/^(body|query|params)\.?/, '');
}

/** Field errors from a 400/422 problem, keyed by field name (first message each). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isApiError(error)) return out;
  for (const issue of error.errors) out[fieldName(issue.path)] ??= issue.message;
  return out;
}
