import {
  AppendEventsResponse,
  internalLimits,
  ErrorBody,
  HeartbeatResponse,
  MissingBlobsResponse,
  PutBlobResponse,
  ReadEventsResponse,
  RecordVersionResponse,
  RunContextResponse,
  type AppVersion,
  type AppendEventsRequest,
  type PlanCard,
  type RunEvent,
  type RunEventBody,
  type RunOutcome,
  type VersionFile,
  type WorkerStartedRequest,
} from '@hangar/protocol';
import type { z } from 'zod';

export type { RunContextResponse };

/** How the client retries a call that failed for a transient reason. */
export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Stop retrying once this long has passed since the first attempt (longer than the heartbeat window). */
  giveUpAfterMs: number;
  /** Each attempt is abandoned (and retried) after this long. */
  attemptTimeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 4000, giveUpAfterMs: 60_000, attemptTimeoutMs: 30_000 };

/** A failed call to the control plane. `retryable` is the one thing retry decisions read. */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError';
  constructor(
    message: string,
    /** The HTTP status, or null when no answer arrived (refused, reset, timed out). */
    readonly status: number | null,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Statuses that say "try again later": timeouts, rate limits, and the server's own trouble. */
const retryableStatus = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

interface CallOptions {
  body?: unknown;
  raw?: Uint8Array;
  /** Overrides the client's policy for this call (heartbeats retry briefly: the next one is due soon). */
  retry?: Partial<RetryPolicy>;
  /** Ends the call (and its retries) at once. */
  signal?: AbortSignal;
}

export interface ControlPlaneClientOptions {
  retry?: Partial<RetryPolicy>;
  /** Where retries are reported (the worker's log). */
  log?: (message: string) => void;
}

/**
 * The worker's only way to the control plane: its internal API, with a token for one run. Every
 * answer is parsed with its protocol/ schema. Transient failures (no answer, 408/429/5xx) are
 * retried with exponential backoff and jitter until the policy gives up; every call is safe to
 * resend, because the control plane deduplicates (events by sequence number, the rest by state).
 */
export class ControlPlaneClient {
  private readonly policy: RetryPolicy;
  private readonly log: (message: string) => void;

  constructor(
    private readonly baseUrl: string,
    private readonly runId: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
    options: ControlPlaneClientOptions = {},
  ) {
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.log = options.log ?? (() => undefined);
  }

  private async attempt(method: string, path: string, options: CallOptions, timeoutMs: number): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/internal/runs/${this.runId}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.raw ? { 'content-type': 'application/octet-stream' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.raw ? { body: options.raw } : {}),
        signal: options.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      const reason = error instanceof Error ? `${error.message}${cause}` : String(error);
      throw new ControlPlaneError(`The control plane did not answer ${method} ${path} (${reason}).`, null, 'unreachable', true);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    const parsed = ErrorBody.safeParse(safeJson(text));
    const code = parsed.success ? parsed.data.error.code : 'http_error';
    const detail = parsed.success ? parsed.data.error.message : text.slice(0, 300);
    throw new ControlPlaneError(
      `The control plane answered ${method} ${path} with ${response.status}: ${detail}`,
      response.status,
      code,
      retryableStatus(response.status),
    );
  }

  /** Runs one request (answer read included) with the retry policy. */
  private async withRetry<R>(method: string, path: string, options: CallOptions, read: (response: Response) => Promise<R>): Promise<R> {
    const policy = { ...this.policy, ...options.retry };
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.attempt(method, path, options, policy.attemptTimeoutMs);
        return await read(response).catch((error: unknown) => {
          if (error instanceof ControlPlaneError) throw error;
          // The connection broke while the answer was read: the request may have been applied; resending is safe.
          throw new ControlPlaneError(`The answer to ${method} ${path} was cut off (${String(error)}).`, null, 'unreachable', true);
        });
      } catch (error) {
        if (!(error instanceof ControlPlaneError) || !error.retryable || options.signal?.aborted) throw error;
        const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        if (Date.now() - started + delay > policy.giveUpAfterMs) throw error;
        this.log(`${error.message} Retrying in ${Math.round(delay)} ms (attempt ${attempt + 1}).`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private call(method: string, path: string, options: CallOptions = {}): Promise<void> {
    return this.withRetry(method, path, options, async (response) => {
      await response.body?.cancel();
    });
  }

  private callJson<T extends z.ZodType>(method: string, path: string, schema: T, options: CallOptions = {}): Promise<z.infer<T>> {
    return this.withRetry(method, path, options, async (response) => {
      const text = await response.text();
      return this.parse(method, path, schema, safeJson(text));
    });
  }

  private parse<T extends z.ZodType>(method: string, path: string, schema: T, body: unknown): z.infer<T> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new ControlPlaneError(
      `The control plane's answer to ${method} ${path} is not valid (${where || 'body'}).`,
      200,
      'invalid_response',
      false,
    );
  }

  /** The run, its app, earlier prompts and the latest version to restore from. */
  context(): Promise<RunContextResponse> {
    return this.callJson('GET', '/context', RunContextResponse);
  }
  async started(details: WorkerStartedRequest): Promise<void> {
    await this.call('POST', '/started', { body: details });
  }
  /** Keeps the run alive; answers whether to keep going. Retries only briefly: the next heartbeat is due soon. */
  heartbeat(retry: Partial<RetryPolicy> = { giveUpAfterMs: 4000 }): Promise<HeartbeatResponse> {
    return this.callJson('POST', '/heartbeat', HeartbeatResponse, { body: {}, retry });
  }
  /** Appends events numbered from `first`; a resend of numbers already stored is skipped by the control plane. */
  appendEvents(events: RunEventBody[], first?: number): Promise<AppendEventsResponse> {
    const body: AppendEventsRequest = { events, ...(first === undefined ? {} : { first }) };
    return this.callJson('POST', '/events', AppendEventsResponse, { body });
  }
  async readEvents(after?: string): Promise<RunEvent[]> {
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    return (await this.callJson('GET', `/events${query}`, ReadEventsResponse)).items;
  }
  /** The run's events after `after`, waiting on the control plane (long poll) up to `waitMs` for the first one. */
  async waitForEvents(after: string | undefined, waitMs: number, signal?: AbortSignal): Promise<RunEvent[]> {
    const query = new URLSearchParams({ ...(after ? { after } : {}), waitMs: String(waitMs) });
    return (
      await this.callJson('GET', `/events?${query.toString()}`, ReadEventsResponse, {
        retry: { attemptTimeoutMs: waitMs + this.policy.attemptTimeoutMs },
        ...(signal ? { signal } : {}),
      })
    ).items;
  }
  async proposePlan(plan: PlanCard): Promise<void> {
    await this.call('POST', '/plan', { body: { plan } });
  }
  async renameApp(name: string): Promise<void> {
    await this.call('POST', '/rename', { body: { name } });
  }
  async missingBlobs(sha256: string[]): Promise<string[]> {
    return (await this.callJson('POST', '/missing-blobs', MissingBlobsResponse, { body: { sha256 } })).missing;
  }
  async putBlob(bytes: Uint8Array): Promise<string> {
    return (await this.callJson('PUT', '/blobs', PutBlobResponse, { raw: bytes })).sha256;
  }
  getBlob(sha256: string): Promise<Uint8Array> {
    return this.withRetry('GET', `/blobs/${sha256}`, {}, async (response) => new Uint8Array(await response.arrayBuffer()));
  }
  recordVersion(files: VersionFile[]): Promise<AppVersion> {
    return this.callJson('POST', '/versions', RecordVersionResponse, { body: { files } });
  }
  async finish(outcome: RunOutcome): Promise<void> {
    await this.call('POST', '/finish', { body: outcome });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** How long one long poll for events waits on the control plane. */
const eventWaitMs = internalLimits.maxEventsWaitMs / 2;

/**
 * Waits for the first event after `after` that `decide` answers for (not undefined), long polling
 * the control plane so that a person's decision is heard at once. Throws when the run ends first
 * (`run.stopped`, `run.failed`) or `signal` aborts; `waiting` completes the error ("while …").
 */
export async function waitForRunEvent<R>(
  client: Pick<ControlPlaneClient, 'waitForEvents'>,
  after: string | undefined,
  decide: (event: RunEvent['event']) => R | undefined,
  signal: AbortSignal,
  waiting: string,
): Promise<R> {
  let cursor = after;
  while (!signal.aborted) {
    const started = Date.now();
    const events = await client.waitForEvents(cursor, eventWaitMs, signal).catch((error: unknown) => {
      if (signal.aborted) return [];
      throw error;
    });
    for (const stored of events) {
      cursor = stored.id;
      const decided = decide(stored.event);
      if (decided !== undefined) return decided;
      if (stored.event.type === 'run.stopped' || stored.event.type === 'run.failed') throw new Error(`The run ended while ${waiting}.`);
    }
    // An empty answer that did not wait (a control plane without long polls) is retried after a pause.
    if (events.length === 0 && Date.now() - started < 100) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The run was stopped while ${waiting}.`);
}
