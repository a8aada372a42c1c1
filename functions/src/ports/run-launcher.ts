/** Everything a worker needs to run one builder run. */
export interface RunSpec {
  runId: string;
  appId: string;
  workspaceId: string;
  /** The control plane's internal API base URL, e.g. http://127.0.0.1:8787. */
  controlPlaneUrl: string;
  /** Bearer token scoped to this run only. */
  runToken: string;
  /**
   * A builder run for an app with no version yet, which starts from the pristine template: a
   * launcher may hand it a workspace prepared ahead (the local standby worker). A hint only.
   */
  newApp?: boolean;
}

/**
 * Starts and stops workers. Adapters: a local child process (embedded default); an ECS Fargate
 * task per run on AWS (SQS → launcher).
 */
export interface RunLauncher {
  readonly kind: string;
  launch(spec: RunSpec): Promise<void>;
  /** Stops the worker of a run if it is still alive. Idempotent. */
  stop(runId: string): Promise<void>;
  /**
   * Reports workers that exited, where the launcher can see it (a child process can; an ECS
   * task cannot, and the heartbeat sweeper covers it). The control plane fails a run whose
   * worker exited while it was still active.
   */
  onWorkerExit?(handler: (runId: string, detail: string) => void): void;
}
