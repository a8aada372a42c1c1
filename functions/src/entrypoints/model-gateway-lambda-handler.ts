import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Writable } from 'node:stream';
import type { Context as LambdaContext, LambdaFunctionURLEvent } from 'aws-lambda';

/** What the handler needs of the app: the same Hono app every root composes. */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

/** The runtime's response stream: a Writable that can also carry a content type. */
export type ResponseStream = Writable & { setContentType(contentType: string): void };

/** The two pieces of the Lambda Node.js runtime's response streaming that the handler uses. */
export interface StreamingRuntime {
  streamifyResponse<E>(
    handler: (event: E, responseStream: ResponseStream, context: LambdaContext) => Promise<void>,
  ): (event: E, responseStream: ResponseStream, context: LambdaContext) => void | Promise<void>;
  /** Sends the status and headers before the body (the runtime's `HttpResponseStream.from`). */
  withMetadata(responseStream: Writable, metadata: { statusCode: number; headers: Record<string, string> }): Writable;
}

/**
 * The runtime's `awslambda` global when running in Lambda; `null` elsewhere (tests, local), where
 * a caller passes its own runtime.
 */
export function lambdaStreamingRuntime(): StreamingRuntime | null {
  // The AWS SDK's invoke store defines an empty `awslambda` object outside Lambda too.
  if (typeof awslambda === 'undefined' || typeof awslambda.streamifyResponse !== 'function') return null;
  return {
    streamifyResponse: (handler) =>
      awslambda.streamifyResponse((event, responseStream, context) => handler(event, responseStream, context)),
    withMetadata: (responseStream, metadata) => awslambda.HttpResponseStream.from(responseStream, metadata),
  };
}

/** Only the model gateway is served by this function URL; everything else stays on the HTTP API. */
const gatewayPath = /^\/internal\/runs\/[^/]+\/model$/;

/**
 * The model gateway behind a Lambda function URL in response-streaming mode (API Gateway HTTP
 * APIs buffer responses, so they cannot carry it). The event becomes a `Request` for the one
 * app; the NDJSON body is piped to the response stream as it is produced. The app is resolved
 * once per container; a failed resolution is retried on the next invocation.
 */
export function createModelGatewayStreamingHandler(app: () => Promise<FetchApp>, runtime: StreamingRuntime) {
  let resolved: Promise<FetchApp> | null = null;
  const resolve = () => {
    resolved ??= app().catch((error: unknown) => {
      resolved = null;
      throw error;
    });
    return resolved;
  };
  return runtime.streamifyResponse<LambdaFunctionURLEvent>(async (event, responseStream) => {
    const controller = new AbortController();
    // The worker hanging up (stop, kill, a silent-stream retry) ends the provider call too.
    responseStream.once('close', () => controller.abort());
    const response = gatewayPath.test(event.rawPath)
      ? await (await resolve()).fetch(toRequest(event, controller.signal))
      : Response.json(
          { error: { code: 'not_found', message: `No route for ${event.requestContext.http.method} ${event.rawPath}.` } },
          { status: 404 },
        );
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    const output = runtime.withMetadata(responseStream, { statusCode: response.status, headers });
    if (!response.body) {
      output.end();
      return;
    }
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), output);
  });
}

/** A function URL event (payload 2.0) as a fetch `Request`. */
export function toRequest(event: LambdaFunctionURLEvent, signal: AbortSignal): Request {
  const host = event.headers.host ?? event.requestContext.domainName;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers)) if (value !== undefined) headers.set(name, value);
  if (event.cookies?.length) headers.set('cookie', event.cookies.join('; '));
  const method = event.requestContext.http.method;
  const body =
    event.body === undefined || method === 'GET' || method === 'HEAD'
      ? undefined
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return new Request(`https://${host}${event.rawPath}${query}`, { method, headers, signal, ...(body ? { body } : {}) });
}
