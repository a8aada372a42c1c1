/** Stable reasons a Hangar data call fails; apps can switch on `error.code`. */
export type HangarErrorCode = 'invalid_collection' | 'invalid_document' | 'invalid_query' | 'not_found' | 'conflict' | 'unavailable';

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
}
