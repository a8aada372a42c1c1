import { runOfRequest } from '../run-token';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ModelGatewayRequest, modelGatewayLimits, modelStreamContentType, type ModelStreamEvent } from '@hangar/protocol';
import { NotFoundError, PayloadTooLargeError } from '../../domain/errors';
import type { AppDependencies, AppEnv } from '../app-env';
import { readJson } from '../validation';

/**
 * The model gateway on the internal API: `GET /internal/runs/:r/model` answers the run's model
 * choice; `POST /internal/runs/:r/model` takes a `ModelGatewayRequest` and streams NDJSON
 * `ModelStreamEvent`s as the provider produces them. Run token only, like every internal route.
 */
export function internalModelRoutes(deps: AppDependencies) {
  const builder = () => {
    if (!deps.builder) throw new NotFoundError();
    return deps.builder;
  };
  const runOf = (c: Context<AppEnv>): string => runOfRequest(c, builder().tokens);
  const requestLimit = bodyLimit({
    maxSize: modelGatewayLimits.maxRequestBytes,
    onError: () => {
      throw new PayloadTooLargeError(modelGatewayLimits.maxRequestBytes);
    },
  });

  return new Hono<AppEnv>()
    .get('/runs/:r/model', async (c) => c.json(await builder().models.choiceFor(runOf(c))))
    .post('/runs/:r/model', requestLimit, async (c) => {
      const runId = runOf(c);
      const request = await readJson(c, ModelGatewayRequest);
      // The worker going away (stop, kill, a silent-stream retry) aborts the provider call too.
      const signal = c.req.raw.signal;
      const events = await builder().models.open(runId, request, signal);
      return new Response(ndjsonStream(events), {
        status: 200,
        headers: { 'content-type': modelStreamContentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      });
    });
}

/** Encodes events as NDJSON, pulling the next event only when the client has read the last one. */
export function ndjsonStream(events: AsyncIterable<ModelStreamEvent>): ReadableStream<Uint8Array> {
  const iterator = events[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
