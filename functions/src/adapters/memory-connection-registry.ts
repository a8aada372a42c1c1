import {
  checkConnectionId,
  checkSubscriptionKey,
  checkSubscriptionRecord,
  type ConnectionRegistry,
  type SubscriptionRecord,
} from '../ports/connection-registry';

/** Runs `work` now; its result or exception becomes the promise's outcome. */
const settle = <T>(work: () => T) => new Promise<T>((resolve) => resolve(work()));

/**
 * The embedded connection registry: two indexes in this process, lost on restart.
 * Also the test double for code that needs a `ConnectionRegistry`.
 */
export function createMemoryConnectionRegistry(): ConnectionRegistry {
  /** key → connection ids subscribed to it. */
  const connectionsByKey = new Map<string, Set<string>>();
  /** connection id → its records by key (the keys are the connection's set of keys). */
  const recordsByConnection = new Map<string, Map<string, SubscriptionRecord>>();
  let closed = false;

  const open = () => {
    if (closed) throw new Error('connection registry is closed');
  };

  /** Drops one (connection, key) pair from both indexes, and sets that became empty. */
  const unlink = (connectionId: string, key: string) => {
    const connections = connectionsByKey.get(key);
    connections?.delete(connectionId);
    if (connections?.size === 0) connectionsByKey.delete(key);
    const records = recordsByConnection.get(connectionId);
    records?.delete(key);
    if (records?.size === 0) recordsByConnection.delete(connectionId);
  };

  return {
    kind: 'memory',

    add(record: SubscriptionRecord): Promise<void> {
      return settle(() => {
        open();
        const checked = checkSubscriptionRecord(record);
        let connections = connectionsByKey.get(checked.key);
        if (!connections) connectionsByKey.set(checked.key, (connections = new Set<string>()));
        connections.add(checked.connectionId);
        let records = recordsByConnection.get(checked.connectionId);
        if (!records) recordsByConnection.set(checked.connectionId, (records = new Map<string, SubscriptionRecord>()));
        records.set(checked.key, checked);
      });
    },

    remove(connectionId: string, key: string): Promise<void> {
      return settle(() => {
        open();
        unlink(checkConnectionId(connectionId), checkSubscriptionKey(key));
      });
    },

    removeConnection(connectionId: string): Promise<string[]> {
      return settle(() => {
        open();
        const keys = [...(recordsByConnection.get(checkConnectionId(connectionId))?.keys() ?? [])];
        for (const key of keys) unlink(connectionId, key);
        return keys;
      });
    },

    connectionsFor(key: string): Promise<string[]> {
      return settle(() => {
        open();
        return [...(connectionsByKey.get(checkSubscriptionKey(key)) ?? [])];
      });
    },

    keysFor(connectionId: string): Promise<string[]> {
      return settle(() => {
        open();
        return [...(recordsByConnection.get(checkConnectionId(connectionId))?.keys() ?? [])];
      });
    },

    recordsFor(connectionId: string): Promise<SubscriptionRecord[]> {
      return settle(() => {
        open();
        return [...(recordsByConnection.get(checkConnectionId(connectionId))?.values() ?? [])].map((record) => ({ ...record }));
      });
    },

    count(): Promise<number> {
      return settle(() => {
        open();
        let total = 0;
        for (const records of recordsByConnection.values()) total += records.size;
        return total;
      });
    },

    close(): Promise<void> {
      closed = true;
      return Promise.resolve();
    },
  };
}
