import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { failedWithNothing } from './query-state';

const unreachable = new ApiError(0, 'network_error', 'Could not reach the Hangar server.');
const gone = new ApiError(404, 'not_found', 'App not found');

describe('failedWithNothing', () => {
  it('shows a failure when there is nothing else to show', () => {
    expect(failedWithNothing({ isError: true, data: undefined, error: unreachable })).toBe(true);
    expect(failedWithNothing({ isError: false, data: undefined, error: null })).toBe(false);
  });

  it('keeps the last answer on screen when the host cannot be reached', () => {
    expect(failedWithNothing({ isError: true, data: { id: 'app_1' }, error: unreachable })).toBe(false);
    expect(failedWithNothing({ isError: true, data: { id: 'app_1' }, error: new ApiError(503, 'unavailable', 'Starting') })).toBe(false);
  });

  it('shows a definite answer from the host over the last one (deleted, or access lost)', () => {
    expect(failedWithNothing({ isError: true, data: { id: 'app_1' }, error: gone })).toBe(true);
    expect(failedWithNothing({ isError: true, data: { id: 'app_1' }, error: new ApiError(403, 'forbidden', 'No access') })).toBe(true);
  });
});
