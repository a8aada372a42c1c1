import middy from '@middy/core';
import type { WebSocketEvent, WebSocketHandlers, WebSocketResult } from '../realtime/websocket-event';

/** Routes API Gateway WebSocket events ($connect, $disconnect, $default) to the session handlers. */
export function createWebSocketLambdaHandler(handlers: () => WebSocketHandlers | Promise<WebSocketHandlers>) {
  return middy<WebSocketEvent, WebSocketResult>().handler(async (event) => {
    const ready = await handlers();
    switch (event.requestContext.routeKey) {
      case '$connect':
        return ready.connect(event);
      case '$disconnect':
        return ready.disconnect(event);
      default:
        return ready.message(event);
    }
  });
}
