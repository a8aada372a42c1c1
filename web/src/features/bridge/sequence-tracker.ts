import type { DataChange } from '@hangar/protocol';

export type SequenceVerdict = 'in-order' | 'gap';

/**
 * The last (epoch, seq) seen per stream. Within an epoch, seq grows by exactly one per change;
 * a new epoch or any other number means changes were missed (or replayed), so the reader must
 * resync. A resync is always safe: the reader reloads and carries on.
 */
export class SequenceTracker {
  private readonly last = new Map<string, { epoch: string; seq: number }>();

  /** The server confirmed a subscription at this position. */
  start(key: string, epoch: string, seq: number) {
    this.last.set(key, { epoch, seq });
  }

  /**
   * Checks a change and records it as the new position, so after a gap the stream carries on
   * from the change that revealed it. An untracked stream accepts any change as its start.
   */
  check(key: string, change: Pick<DataChange, 'epoch' | 'seq'>): SequenceVerdict {
    const last = this.last.get(key);
    this.last.set(key, { epoch: change.epoch, seq: change.seq });
    if (!last) return 'in-order';
    return last.epoch === change.epoch && change.seq === last.seq + 1 ? 'in-order' : 'gap';
  }

  has(key: string): boolean {
    return this.last.has(key);
  }

  reset(key?: string) {
    if (key === undefined) this.last.clear();
    else this.last.delete(key);
  }
}
