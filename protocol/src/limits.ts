/** Size limits shared by every entry point and every client. */
export const limits = {
  /** Largest JSON request body the HTTP API accepts, in bytes. */
  maxRequestBodyBytes: 64 * 1024,
  /** Largest WebSocket frame a client may send, in bytes. */
  maxWebSocketMessageBytes: 32 * 1024,
  /**
   * Largest data frame the server pushes, in UTF-8 bytes: API Gateway's WebSocket frame size.
   * A change that would not fit goes out as a `data.reload` notice (see `realtime/frame-coalescing.ts`).
   */
  maxServerFrameBytes: 32 * 1024,
  maxNameLength: 80,
  maxEmailLength: 254,
  maxWorkspaceNameLength: 64,
  maxPageSize: 200,
  defaultPageSize: 50,
  maxSearchLength: 200,
} as const;
