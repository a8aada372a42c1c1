import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ApiGatewayManagementApiClientConfig } from '@aws-sdk/client-apigatewaymanagementapi';
import { postToEachByPost, PushFailedError, type ConnectionPusher, type PostOutcome } from '../ports/connection-pusher';
import { coalesceFrames } from '../realtime/frame-coalescing';

/** Either a ready client, or what is needed to build one. */
export type ApiGatewayConnectionPusherOptions =
  | { client: ApiGatewayManagementApiClient }
  | {
      /** The management endpoint, e.g. `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`. */
      endpoint: string;
      region: string;
      /** Defaults to the SDK's credential chain. */
      credentials?: ApiGatewayManagementApiClientConfig['credentials'];
    };

/**
 * Pushes to WebSocket connections through the `@connections` management API (AWS or local
 * gateway). A 410 answers `'gone'`; every other failure rejects with `PushFailedError` (retryable
 * for throttling, 5xx and network errors). The SDK's own retries are turned off for a client this
 * class builds, so the one retry policy is `realtime/push-delivery.ts`.
 */
export class ApiGatewayConnectionPusher implements ConnectionPusher {
  private readonly client: ApiGatewayManagementApiClient;

  constructor(options: ApiGatewayConnectionPusherOptions) {
    this.client =
      'client' in options
        ? options.client
        : new ApiGatewayManagementApiClient({
            endpoint: options.endpoint,
            region: options.region,
            maxAttempts: 1,
            ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
          });
  }

  /**
   * Encoded by `coalesceFrames`, the one place the frame limit is applied: a data change too
   * large for a 32 KB frame goes out as a `data.reload` notice, a batch over it as several
   * frames, in order.
   */
  async post(connectionId: string, data: unknown): Promise<'sent' | 'gone'> {
    for (const frame of coalesceFrames([{ data, source: null }])) {
      try {
        await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(frame.text) }));
      } catch (error) {
        if (isGone(error)) return 'gone';
        throw asPushFailure(error);
      }
    }
    return 'sent';
  }

  /** One `PostToConnection` per connection (all in flight together, as many `post`s would be). */
  postToEach(connectionIds: readonly string[], data: unknown): Promise<PostOutcome[]> {
    return postToEachByPost(this, connectionIds, data);
  }

  async disconnect(connectionId: string): Promise<void> {
    try {
      await this.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (!isGone(error)) throw asPushFailure(error);
    }
  }
}

/** `instanceof` alone fails when two copies of the SDK are installed; the name is stable. */
function isGone(error: unknown): boolean {
  return error instanceof GoneException || (error instanceof Error && error.name === 'GoneException');
}

/** Statuses worth another attempt: throttling and server-side failures. */
const retryableStatus = (status: number) => status === 429 || status >= 500;

/** Classifies an SDK or network failure; requests that never got an answer are retryable. */
function asPushFailure(error: unknown): PushFailedError {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const message = error instanceof Error ? error.message : String(error);
  return new PushFailedError(
    `push failed${status ? ` (${status})` : ''}: ${message}`,
    status === undefined || retryableStatus(status),
    status,
    {
      cause: error,
    },
  );
}
