import { Link } from 'react-router';
import { HangarLogo } from '../components/hangar-logo';
import { Button } from '../components/ui/button';

/** Any path the console does not know. */
export function NotFoundPage() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 px-6 text-center">
      <HangarLogo className="text-lg" />
      <div className="flex flex-col gap-2">
        <p className="font-mono text-sm font-medium text-primary">404</p>
        <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="max-w-sm text-sm text-muted-foreground">The page you asked for does not exist, or it moved.</p>
      </div>
      <Button asChild>
        <Link to="/">Go to your workspaces</Link>
      </Button>
    </main>
  );
}
