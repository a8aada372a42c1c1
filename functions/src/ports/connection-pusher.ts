/**
 * The connection pusher port: sends messages to connected WebSocket clients by connection id.
 * Adapters: `apigateway-connection-pusher.ts` (the `@connections` management API of API Gateway,
 * or of the local WebSocket gateway, which serves the same API).
 */
export interface ConnectionPusher {
  /** Sends `data` as one JSON text frame. `'gone'` when the connection no longer exists. */
  post(connectionId: string, data: unknown): Promise<'sent' | 'gone'>;
  /** Closes the connection; a connection that is already gone is not an error. */
  disconnect(connectionId: string): Promise<void>;
}
