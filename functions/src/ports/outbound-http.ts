/**
 * The outbound HTTP port used by app-agent tools. It runs in the control plane (never in the
 * worker), so injected secrets never leave it except to the declared integration domain.
 * Adapter: `adapters/outbound/safe-http-client.ts`.
 */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The host must be this domain or a subdomain of it. */
  domain: string;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The address the request was sent to, after it was checked. */
  address: string;
  latencyMs: number;
}

/** Categories the agent (and the audit log) see; never raw socket errors. */
export type OutboundErrorCategory = 'credential' | 'permission' | 'input' | 'rate_limit' | 'provider' | 'policy';

/** A failed outbound call with a category and a sentence safe to show the agent. */
export class OutboundError extends Error {
  constructor(
    readonly category: OutboundErrorCategory,
    message: string,
    readonly options: { status?: number; retryable?: boolean; address?: string } = {},
  ) {
    super(message);
    this.name = 'OutboundError';
  }
  get retryable(): boolean {
    return this.options.retryable ?? false;
  }
}

export interface OutboundHttp {
  request(request: OutboundRequest): Promise<OutboundResponse>;
}

/** The category of an HTTP status an integration answered with. */
export function categoryOfStatus(status: number): OutboundErrorCategory | null {
  if (status < 400) return null;
  if (status === 401) return 'credential';
  if (status === 403) return 'permission';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'provider';
  return 'input';
}
