/**
 * The identity this tab acts as. It lives in sessionStorage (not the cookie) so two tabs of one
 * browser can act as two different local identities side by side.
 */
const storageKey = 'hangar.identity';

export function readActiveIdentity(): string | null {
  try {
    return window.sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function writeActiveIdentity(identityId: string | null): void {
  try {
    if (identityId === null) window.sessionStorage.removeItem(storageKey);
    else window.sessionStorage.setItem(storageKey, identityId);
  } catch {
    // Storage can be unavailable (private mode, quotas); the cookie default identity still works.
  }
}
