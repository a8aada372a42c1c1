import { DuplicateKeyError, type DocumentStore, type StoredDocument } from '../ports/document-store';

/** One run's launch, claimed once: the launcher and the control plane agree through it. */
export interface RunLaunchRecord extends StoredDocument {
  state: 'claimed' | 'started' | 'cancelled';
  taskArn: string | null;
  claimedAt: string;
  attempts: number;
}

export type ClaimResult =
  /** Start (or, on a retry after a crash, re-request with the same idempotency token) the task. */
  | { outcome: 'launch'; attempt: number }
  /** Already started or cancelled: a duplicate delivery, nothing to do. */
  | { outcome: 'skip'; record: RunLaunchRecord };

/**
 * Run launch claims in the document store (`run_launches`, keyed by run id). Inserting the
 * claim is the lock; a redelivered request finds it and either skips (started, cancelled) or
 * retries the same RunTask, which ECS deduplicates by its client token.
 */
export function createRunLaunchClaims(store: DocumentStore, now: () => Date = () => new Date()) {
  const launches = () => store.collection<RunLaunchRecord>('run_launches');
  return {
    async claim(runId: string): Promise<ClaimResult> {
      try {
        await launches().insertOne({ _id: runId, state: 'claimed', taskArn: null, claimedAt: now().toISOString(), attempts: 1 });
        return { outcome: 'launch', attempt: 1 };
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
      const retried = await launches().updateOne({ _id: runId, state: 'claimed' }, { $inc: { attempts: 1 } });
      if (retried) return { outcome: 'launch', attempt: retried.attempts };
      const record = await launches().findOne({ _id: runId });
      if (!record) throw new Error(`launch claim of ${runId} vanished`);
      return { outcome: 'skip', record };
    },
    /** Records the task that serves the run; false when the run was cancelled meanwhile. */
    async started(runId: string, taskArn: string): Promise<boolean> {
      return (await launches().updateOne({ _id: runId, state: 'claimed' }, { $set: { state: 'started', taskArn } })) !== null;
    },
    /** Marks a run cancelled (before or after its launch); returns the task to stop, if any. */
    async cancel(runId: string): Promise<string | null> {
      try {
        await launches().insertOne({ _id: runId, state: 'cancelled', taskArn: null, claimedAt: now().toISOString(), attempts: 0 });
        return null;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
      const before = await launches().findOne({ _id: runId });
      await launches().updateOne({ _id: runId }, { $set: { state: 'cancelled' } });
      return before?.taskArn ?? null;
    },
    get: (runId: string) => launches().findOne({ _id: runId }),
  };
}

export type RunLaunchClaims = ReturnType<typeof createRunLaunchClaims>;
