import type { MeResponse } from '@hangar/protocol';
import { createContext, useContext } from 'react';

export const MeContext = createContext<MeResponse | null>(null);

/** The signed-in identity of this tab; only valid below `<RequireAuth>`. */
export function useMe(): MeResponse {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe must be used below <RequireAuth>');
  return me;
}
