import { useQuery } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation } from 'react-router';
import { HangarLogo } from '../../components/hangar-logo';
import { QueryError } from '../../components/query-error';
import { Spinner } from '../../components/ui/spinner';
import { isApiError } from '../../lib/api';
import { meQuery } from '../../lib/queries';
import { MeContext } from './me-context';

/** Renders its routes for a signed-in identity; sends everyone else to the sign-in page. */
export function RequireAuth() {
  const location = useLocation();
  const me = useQuery(meQuery());

  if (me.isPending) {
    return (
      <div className="flex min-h-dvh flex-col items-center justify-center gap-4 text-muted-foreground">
        <HangarLogo withWord={false} />
        <Spinner />
      </div>
    );
  }
  // A session that ended signs out even with a page on screen; an unreachable host keeps the page (its banner says so).
  if (me.isError && isApiError(me.error) && me.error.status === 401) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/sign-in" replace state={{ from }} />;
  }
  if (me.isError && me.data === undefined) {
    return (
      <div className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center gap-6 px-6">
        <HangarLogo />
        <QueryError error={me.error} what="your session" onRetry={() => me.refetch()} retrying={me.isFetching} />
      </div>
    );
  }
  return (
    <MeContext.Provider value={me.data}>
      <Outlet />
    </MeContext.Provider>
  );
}
