import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { OutboundError, type OutboundHttp, type OutboundRequest, type OutboundResponse } from '../../ports/outbound-http';
import { refusedAddressReason } from './address-policy';

/** Resolves a host name to its addresses (injectable: tests make DNS answers change). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

export interface SafeHttpClientOptions {
  resolver?: Resolver;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /**
   * Tests only: lets a local HTTPS test server through the address check and trusts its CA.
   * No environment variable or production configuration maps to this option.
   */
  unsafeTestOverrides?: { allowAddresses: (address: string) => boolean; ca?: string };
}

export const outboundLimits = { timeoutMs: 30_000, maxResponseBytes: 1024 * 1024, maxRequestBytes: 256 * 1024 } as const;

function hostIsOnDomain(host: string, domain: string): boolean {
  const normalized = host.toLowerCase().replace(/\.$/, '');
  return normalized === domain || normalized.endsWith(`.${domain}`);
}

/**
 * HTTPS only, domain-locked, DNS resolved once and the connection made to the checked address
 * (no second lookup), private and metadata addresses refused, redirects not followed, with a
 * timeout and a response cap.
 */
export function createSafeHttpClient(options: SafeHttpClientOptions = {}): OutboundHttp {
  const resolver = options.resolver ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? outboundLimits.timeoutMs;
  const maxResponseBytes = options.maxResponseBytes ?? outboundLimits.maxResponseBytes;
  const overrides = options.unsafeTestOverrides;

  const checkedAddress = async (hostname: string): Promise<{ address: string; family: 4 | 6 }> => {
    const literal = isIP(hostname.replace(/^\[|\]$/g, ''));
    const answers = literal
      ? [{ address: hostname.replace(/^\[|\]$/g, ''), family: literal === 6 ? (6 as const) : (4 as const) }]
      : await resolver(hostname).catch(() => {
          throw new OutboundError('provider', `The name ${hostname} could not be resolved.`, { retryable: true });
        });
    if (answers.length === 0) throw new OutboundError('provider', `The name ${hostname} has no addresses.`, { retryable: true });
    // Every answer must be public: a mixed answer is how rebinding attacks hide a private address.
    for (const answer of answers) {
      const reason = refusedAddressReason(answer.address);
      if (reason && !overrides?.allowAddresses(answer.address))
        throw new OutboundError('policy', `${hostname} resolves to a ${reason} address, which tools may not call.`, {
          address: answer.address,
        });
    }
    const first = answers[0];
    if (!first) throw new OutboundError('provider', `The name ${hostname} has no addresses.`);
    return first;
  };

  return {
    async request(request: OutboundRequest): Promise<OutboundResponse> {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        throw new OutboundError('input', 'The tool URL is not a valid URL.');
      }
      if (url.protocol !== 'https:') throw new OutboundError('policy', 'Tools call HTTPS URLs only.');
      if (url.username || url.password) throw new OutboundError('policy', 'Tool URLs may not carry credentials.');
      if (!hostIsOnDomain(url.hostname, request.domain))
        throw new OutboundError('policy', `The host ${url.hostname} is outside the declared domain ${request.domain}.`);
      if (request.body !== undefined && Buffer.byteLength(request.body) > outboundLimits.maxRequestBytes)
        throw new OutboundError('input', `The request body is larger than ${outboundLimits.maxRequestBytes} bytes.`);

      const { address, family } = await checkedAddress(url.hostname);
      // The socket connects to the address that was checked, whatever DNS says later.
      const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
        if ((lookupOptions as { all?: boolean }).all)
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
        else callback(null, address, family);
      };
      const started = performance.now();
      return new Promise<OutboundResponse>((resolve, reject) => {
        const timer = setTimeout(
          () => fail(new OutboundError('provider', `The integration did not answer within ${timeoutMs / 1000} s.`, { retryable: true })),
          timeoutMs,
        );
        const onAbort = () => fail(new OutboundError('provider', 'The call was cancelled.'));
        request.signal?.addEventListener('abort', onAbort, { once: true });
        let settled = false;
        const finish = () => {
          settled = true;
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', onAbort);
        };
        const fail = (error: OutboundError) => {
          if (settled) return;
          finish();
          outgoing.destroy();
          reject(error);
        };
        const outgoing = httpsRequest(
          {
            method: request.method,
            hostname: url.hostname.replace(/^\[|\]$/g, ''),
            port: url.port || 443,
            path: `${url.pathname}${url.search}`,
            headers: { ...request.headers, host: url.host, 'accept-encoding': 'identity' },
            lookup: pinnedLookup,
            servername: isIP(url.hostname) ? undefined : url.hostname,
            agent: false,
            ...(overrides?.ca ? { ca: overrides.ca } : {}),
          },
          (incoming) => {
            const status = incoming.statusCode ?? 0;
            if (status >= 300 && status < 400) {
              fail(
                new OutboundError('policy', `The integration answered with a redirect (${status}); tools do not follow redirects.`, {
                  status,
                }),
              );
              return;
            }
            const chunks: Buffer[] = [];
            let size = 0;
            incoming.on('data', (chunk: Buffer) => {
              size += chunk.byteLength;
              if (size > maxResponseBytes) fail(new OutboundError('provider', `The response is larger than ${maxResponseBytes} bytes.`));
              else chunks.push(chunk);
            });
            incoming.on('error', () =>
              fail(new OutboundError('provider', 'The connection broke while reading the response.', { retryable: true })),
            );
            incoming.on('end', () => {
              if (settled) return;
              finish();
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers[name] = value;
              resolve({
                status,
                headers,
                body: Buffer.concat(chunks).toString('utf8'),
                address,
                latencyMs: Math.round(performance.now() - started),
              });
            });
          },
        );
        outgoing.on('error', (error: NodeJS.ErrnoException) => {
          const tls = /CERT|SSL|TLS/i.test(error.code ?? error.message);
          fail(
            new OutboundError(
              'provider',
              tls ? 'The integration’s TLS certificate was not accepted.' : 'The integration could not be reached.',
              {
                retryable: !tls,
              },
            ),
          );
        });
        outgoing.end(request.body);
      });
    },
  };
}
