import { describe, expect, it } from 'vitest';
import { AppToConsoleMessage, ConsoleToAppMessage } from '@hangar/protocol';

describe('bridge schemas', () => {
  it('parse both response shapes and refuse unknown kinds and versions', () => {
    expect(ConsoleToAppMessage.safeParse({ hangar: 1, kind: 'response', id: 'r1', ok: true, result: { a: 1 } }).success).toBe(true);
    expect(
      ConsoleToAppMessage.safeParse({ hangar: 1, kind: 'response', id: 'r1', ok: false, error: { code: 'forbidden', message: 'no' } })
        .success,
    ).toBe(true);
    expect(ConsoleToAppMessage.safeParse({ hangar: 2, kind: 'ready', appId: 'a', scope: 'draft', readOnly: false }).success).toBe(false);
    expect(ConsoleToAppMessage.safeParse({ hangar: 1, kind: 'eval', code: 'alert(1)' }).success).toBe(false);
    expect(
      AppToConsoleMessage.safeParse({
        hangar: 1,
        kind: 'request',
        id: 'q',
        op: 'list',
        collection: 'leads',
        query: { filter: { $where: 'x' } },
      }).success,
    ).toBe(false);
    expect(
      AppToConsoleMessage.safeParse({ hangar: 1, kind: 'request', id: 'q', op: 'insert', collection: 'leads', data: { name: 'Ada' } })
        .success,
    ).toBe(true);
  });
});
