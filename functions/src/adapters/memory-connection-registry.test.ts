import { describe, expect, it } from 'vitest';
import { describeConnectionRegistryContract } from '../ports/connection-registry.contract';
import { createMemoryConnectionRegistry } from './memory-connection-registry';

describeConnectionRegistryContract('memory', () => {
  const registry = createMemoryConnectionRegistry();
  return Promise.resolve({ registry, cleanup: () => registry.close() });
});

describe('memory connection registry', () => {
  it('is its own instance: two registries share nothing', async () => {
    const [first, second] = [createMemoryConnectionRegistry(), createMemoryConnectionRegistry()];
    await first.add({ connectionId: 'conn_a', key: 'key_1', userId: 'user_1', subscribedAt: '2026-01-02T03:04:05.000Z' });
    expect(first.kind).toBe('memory');
    expect(await second.connectionsFor('key_1')).toEqual([]);
    expect(await second.count()).toBe(0);
  });
});
