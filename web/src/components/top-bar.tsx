import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { IdentityMenu } from '../features/auth/identity-menu';
import { HangarLogo } from './hangar-logo';

/** The header of pages outside a workspace: the mark on the left, the identity menu on the right. */
export function TopBar({ children }: { children?: ReactNode }) {
  return (
    <header className="sticky top-0 z-30 border-b bg-card/80 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-5xl items-center gap-4 px-6">
        <Link to="/" className="flex items-center rounded-md outline-none focus-visible:ring-2 focus-visible:ring-ring">
          <HangarLogo />
        </Link>
        <div className="flex-1">{children}</div>
        <IdentityMenu />
      </div>
    </header>
  );
}
