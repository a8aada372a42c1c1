import { useEffect, useState } from 'react';

const storageKey = (identityId: string) => `hangar.visited.${identityId}`;

/**
 * Whether this is the identity's first visit to the console in this browser: the first page it
 * sees says "Welcome", later ones "Welcome back". Remembered in localStorage after the first render.
 */
export function useFirstVisit(identityId: string): boolean {
  const [first] = useState(() => {
    try {
      return window.localStorage.getItem(storageKey(identityId)) === null;
    } catch {
      return false;
    }
  });
  useEffect(() => {
    try {
      window.localStorage.setItem(storageKey(identityId), new Date().toISOString());
    } catch {
      // Without storage every visit greets as a return visit, which is the safer wording.
    }
  }, [identityId]);
  return first;
}
