import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api-error';
import { acceptAppMessage, BridgeFailure, postToApp, toBridgeError } from './bridge-messages';

const preview = { postMessage: () => undefined };
const other = { postMessage: () => undefined };
const hello = { hangar: 1, kind: 'hello' };

describe('acceptAppMessage', () => {
  it('accepts a valid message from the preview window', () => {
    expect(acceptAppMessage({ source: preview, data: hello }, preview)).toEqual(hello);
    const request = { hangar: 1, kind: 'request', id: 'r1', op: 'list', collection: 'tasks' };
    expect(acceptAppMessage({ source: preview, data: request }, preview)).toEqual(request);
  });

  it('ignores messages from any other window, or when there is no preview', () => {
    expect(acceptAppMessage({ source: other, data: hello }, preview)).toBeNull();
    expect(acceptAppMessage({ source: null, data: hello }, preview)).toBeNull();
    expect(acceptAppMessage({ source: null, data: hello }, null)).toBeNull();
    expect(acceptAppMessage({ source: undefined, data: hello }, undefined)).toBeNull();
  });

  it('ignores malformed, unknown-version and extra-field messages', () => {
    for (const data of [
      'hello',
      null,
      { hangar: 2, kind: 'hello' },
      { hangar: 1, kind: 'hello', extra: true },
      { hangar: 1, kind: 'request', id: 'r1', op: 'drop', collection: 'tasks' },
      { hangar: 1, kind: 'request', id: 'r1', op: 'list', collection: '../etc' },
      { hangar: 1, kind: 'ready', appId: 'a', scope: 'draft', readOnly: false },
    ]) {
      expect(acceptAppMessage({ source: preview, data }, preview)).toBeNull();
    }
  });
});

describe('postToApp', () => {
  it('posts the versioned message to the given window only', () => {
    const posted: [unknown, string][] = [];
    const target = { postMessage: (message: unknown, origin: string) => posted.push([message, origin]) };
    expect(postToApp(target, { kind: 'resync', collection: 'tasks' })).toBe(true);
    expect(posted).toEqual([[{ hangar: 1, kind: 'resync', collection: 'tasks' }, '*']]);
    expect(postToApp(null, { kind: 'resync', collection: 'tasks' })).toBe(false);
  });
});

describe('toBridgeError', () => {
  it('keeps API error codes and messages', () => {
    expect(toBridgeError(new ApiError(403, 'forbidden', 'Viewers cannot write.'))).toEqual({
      code: 'forbidden',
      message: 'Viewers cannot write.',
    });
    expect(toBridgeError(new ApiError(0, 'network_error', 'offline'))).toEqual({ code: 'network_error', message: 'offline' });
    expect(toBridgeError(new BridgeFailure('forbidden', 'read-only'))).toEqual({ code: 'forbidden', message: 'read-only' });
    expect(toBridgeError('boom')).toEqual({ code: 'internal', message: 'Something went wrong.' });
  });
});
