/**
 * Memoizes a cold start per container, but only a successful one: a failed build (a missing
 * variable, a database not reachable yet) is retried by the next invocation instead of being
 * cached as a rejection for the container's lifetime.
 */
export function onceSuccessful<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
