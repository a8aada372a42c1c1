import type { RunLauncher, RunSpec } from '../ports/run-launcher';

/** The test double of the launcher port: records launch specs and stops; tests play the worker through the internal API. */
export class RecordingRunLauncher implements RunLauncher {
  readonly kind = 'recording';
  readonly launched: RunSpec[] = [];
  readonly stopped: string[] = [];
  launch(spec: RunSpec): Promise<void> {
    this.launched.push(spec);
    return Promise.resolve();
  }
  stop(runId: string): Promise<void> {
    this.stopped.push(runId);
    return Promise.resolve();
  }
}
