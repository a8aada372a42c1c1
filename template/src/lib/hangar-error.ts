/** Stable reasons a Hangar data call fails; apps can switch on `error.code`. */
export type HangarErrorCode =
  | 'invalid_collection'
  | 'invalid_document'
  | 'invalid_query'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited'
  | 'timeout'
  | 'unavailable'
  /** App agents: the trigger's input is not what the agent takes. */
  | 'invalid_input'
  /** App agents: a workspace limit (concurrent runs, monthly spend) refused the run. */
  | 'limit_reached'
  /** App agents: the run failed (the message says why) or was stopped. */
  | 'agent_failed'
  | 'agent_stopped';

const ownCodes = new Set<string>([
  'invalid_collection',
  'invalid_document',
  'invalid_query',
  'not_found',
  'conflict',
  'forbidden',
  'too_large',
  'rate_limited',
  'timeout',
  'unavailable',
  'invalid_input',
  'limit_reached',
  'agent_failed',
  'agent_stopped',
] satisfies HangarErrorCode[]);

/** Server error codes (the platform's `ErrorCode`s) that mean something else in the SDK's words. */
const serverCodes: Record<string, HangarErrorCode> = {
  payload_too_large: 'too_large',
  unauthenticated: 'forbidden',
  csrf_failed: 'forbidden',
};

/** The one error type the SDK throws or rejects with. */
export class HangarError extends Error {
  override readonly name = 'HangarError';

  constructor(
    readonly code: HangarErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** Wraps anything thrown into a HangarError, keeping HangarErrors as they are. */
  static from(error: unknown): HangarError {
    if (error instanceof HangarError) return error;
    return new HangarError('unavailable', error instanceof Error ? error.message : String(error));
  }

  /**
   * The error a console `response` reported. Input errors (`bad_request`, `validation_failed`) are
   * about the query when reading and about the document when writing.
   */
  static fromBridge(error: { code: string; message: string }, writing: boolean): HangarError {
    const { code, message } = error;
    if (ownCodes.has(code)) return new HangarError(code as HangarErrorCode, message);
    if (code === 'bad_request' || code === 'validation_failed')
      return new HangarError(writing ? 'invalid_document' : 'invalid_query', message);
    return new HangarError(serverCodes[code] ?? 'unavailable', message);
  }
}
