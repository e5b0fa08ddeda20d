import { Alert } from '@itwin/itwinui-react';
import { ApiError } from '../api/client';

/** What went wrong, in the service's own words (its error message and details) or the browser's. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.describe()} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function Problem({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert type="negative" role="alert">
      {title ? `${title}: ` : ''}
      {describeError(error)}
    </Alert>
  );
}
