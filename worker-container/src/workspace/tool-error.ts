/** Stable codes for every way a builder tool can refuse or fail; the agent loop may switch on them. */
export type ToolErrorCode =
  | 'invalid_input'
  | 'invalid_path'
  | 'outside_workspace'
  | 'protected_path'
  | 'platform_file'
  | 'plan_required'
  | 'not_found'
  | 'not_a_file'
  | 'not_a_directory'
  | 'too_large'
  | 'binary_file'
  | 'no_match'
  | 'ambiguous_match'
  | 'invalid_package'
  | 'install_failed'
  | 'timeout'
  | 'aborted';

/**
 * A refusal or failure the model should read and act on. The message is written for the model:
 * it says what was wrong and what to do instead, and never leaks paths outside the workspace.
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';

  constructor(
    readonly code: ToolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Narrows an unknown thrown value to a Node error with a `code` (ENOENT, ENOTDIR, …). */
export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
