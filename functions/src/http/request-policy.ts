/**
 * Which origins may use cookie sessions and which Host names the server answers for. Pure
 * functions, shared by the HTTP middleware and the WebSocket `$connect` handler, configured once
 * in the composition (never derived from the request being checked).
 */

/** The origins allowed to send cookie-authenticated mutations and to open cookie-authenticated sockets. */
export type OriginAllowList = ReadonlySet<string>;

/**
 * The Host names a server answers for (DNS rebinding defence). `anyIpLiteral` accepts any IP
 * address as Host: a rebinding attack needs a name, so addresses are safe (used when bound to
 * every interface, where the LAN address is not known in advance).
 */
export interface HostAllowList {
  names: ReadonlySet<string>;
  anyIpLiteral: boolean;
}

/** `scheme://host[:port]` of an http(s) URL, lower-cased; null for `null`, non-URLs and other schemes. */
export function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin;
}

/** Builds the allow list, refusing entries that are not http(s) origins (a configuration error). */
export function originAllowList(origins: readonly string[]): OriginAllowList {
  return new Set(
    origins.map((origin) => {
      const normalized = normalizeOrigin(origin);
      if (!normalized) throw new Error(`not an http(s) origin: ${JSON.stringify(origin)}`);
      return normalized;
    }),
  );
}

/** Whether an `Origin` header names an allowed origin exactly (scheme, host and port). */
export function originAllowed(allowed: OriginAllowList, origin: string | undefined): boolean {
  if (origin === undefined) return false;
  const normalized = normalizeOrigin(origin);
  return normalized !== null && normalized === origin.toLowerCase().replace(/\/$/, '') && allowed.has(normalized);
}

const ipv4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/** The host name of a `Host` header, lower-cased, without port or trailing dot; null when malformed. */
export function hostNameOf(hostHeader: string): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(hostHeader.trim());
  return match?.[1] ? match[1].toLowerCase().replace(/\.$/, '') : null;
}

/** Whether a request's `Host` is one this server answers for; `null` list: any (API Gateway routes by domain). */
export function hostAllowed(allowed: HostAllowList | null, hostHeader: string | undefined): boolean {
  if (allowed === null) return true;
  if (hostHeader === undefined) return false;
  const name = hostNameOf(hostHeader);
  if (name === null) return false;
  if (allowed.names.has(name)) return true;
  return allowed.anyIpLiteral && (ipv4.test(name) || name.startsWith('['));
}

/** Host names of a list of origins (for a server that answers on its public origins). */
export function hostNamesOf(origins: Iterable<string>): string[] {
  return [...origins].flatMap((origin) => {
    const normalized = normalizeOrigin(origin);
    return normalized ? [hostNameOf(new URL(normalized).host) ?? []].flat() : [];
  });
}
