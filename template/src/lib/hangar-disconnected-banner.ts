import { DISCONNECTED_MESSAGE } from './hangar-detached-console';

export const DISCONNECTED_BANNER_ID = 'hangar-disconnected-banner';

/**
 * Puts a banner at the top of the page saying the app is not connected to Hangar. Plain DOM with
 * inline styles on purpose: generated apps rewrite `App.tsx`, `main.tsx` and their CSS, and the
 * banner must show whatever they did. Idempotent.
 */
export function showDisconnectedBanner(target: Document): void {
  if (target.getElementById(DISCONNECTED_BANNER_ID)) return;
  const banner = target.createElement('div');
  banner.id = DISCONNECTED_BANNER_ID;
  banner.dataset.testid = 'hangar-disconnected';
  banner.setAttribute('role', 'alert');
  banner.textContent = DISCONNECTED_MESSAGE;
  Object.assign(banner.style, {
    position: 'sticky',
    top: '0',
    zIndex: '2147483647',
    padding: '10px 16px',
    background: '#fef3c7',
    color: '#78350f',
    borderBottom: '1px solid #f59e0b',
    font: '500 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif',
    textAlign: 'center',
  });
  const place = () => target.body.prepend(banner);
  if (target.body) place();
  else target.addEventListener('DOMContentLoaded', place, { once: true });
}
