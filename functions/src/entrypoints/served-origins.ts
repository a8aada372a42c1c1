import { hostNamesOf, type HostAllowList } from '../http/request-policy';

export const wildcardAddresses = new Set(['0.0.0.0', '::', '[::]']);

/** The names and origins this host answers for: loopback names, the bound address, the public origins. */
export function servedOrigins(bound: string, port: number, publicOrigins: string[]): { hosts: HostAllowList; origins: string[] } {
  const wildcard = wildcardAddresses.has(bound);
  const local = ['localhost', '127.0.0.1', '[::1]', ...(wildcard ? [] : [bound.includes(':') ? `[${bound}]` : bound.toLowerCase()])];
  return {
    hosts: { names: new Set([...local, ...hostNamesOf(publicOrigins)]), anyIpLiteral: wildcard },
    origins: [...new Set([...local.map((name) => `http://${name}:${port}`), ...publicOrigins])],
  };
}
