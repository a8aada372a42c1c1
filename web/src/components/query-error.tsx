import { RotateCw } from 'lucide-react';
import { errorMessage } from '../lib/api';
import { Alert } from './ui/alert';
import { Button } from './ui/button';

type QueryErrorProps = {
  error: unknown;
  /** What failed to load, e.g. "members". */
  what: string;
  onRetry: () => unknown;
  retrying?: boolean;
  className?: string;
};

/** The error state of a query: what failed, why, and a way to try again. */
export function QueryError({ error, what, onRetry, retrying = false, className }: QueryErrorProps) {
  return (
    <Alert
      className={className}
      title={`Could not load ${what}`}
      action={
        <Button variant="outline" size="sm" onClick={() => void onRetry()} loading={retrying}>
          {retrying ? null : <RotateCw aria-hidden />}
          Try again
        </Button>
      }
    >
      {errorMessage(error)}
    </Alert>
  );
}
