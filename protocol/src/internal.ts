import { AgentRunSpec } from './agent-runs';
import { z } from 'zod';
import { AppVersion, VersionFile } from './app';
import { Id } from './common';
import { PlanCard, RunEvent, RunEventBody, RunStatus, Usage } from './run';

/**
 * The worker ↔ control-plane wire: the internal API a worker calls with a token scoped to its
 * run (`/internal/runs/:runId/*`), the outcome it reports, and the environment it starts with.
 * Both sides parse these schemas: the routes validate every request body, the worker's client
 * every response body.
 */

/** Environment variable names a worker reads; the launchers (local process, ECS task) set them. */
export const workerEnvironmentVariables = {
  runId: 'HANGAR_RUN_ID',
  runToken: 'HANGAR_RUN_TOKEN',
  controlPlaneUrl: 'HANGAR_CONTROL_PLANE_URL',
  workspacesDir: 'HANGAR_WORKSPACES_DIR',
  templateDir: 'HANGAR_TEMPLATE_DIR',
  dependencyCacheDir: 'HANGAR_DEPENDENCY_CACHE_DIR',
} as const;

const required = z.string().min(1);
/** What a worker needs from its environment to run; see `readWorkerEnvironment`. */
export const WorkerEnvironment = z.object({
  runId: Id,
  runToken: required,
  controlPlaneUrl: z.url({ protocol: /^https?$/ }),
  workspacesDir: required,
  templateDir: required,
  dependencyCacheDir: required,
});
export type WorkerEnvironment = z.infer<typeof WorkerEnvironment>;

/** Reads the worker's environment by the names above; throws one message naming every missing or bad variable. */
export function readWorkerEnvironment(env: Record<string, string | undefined>): WorkerEnvironment {
  const names = workerEnvironmentVariables;
  const raw = Object.fromEntries(Object.entries(names).map(([key, name]) => [key, env[name]]));
  const parsed = WorkerEnvironment.safeParse(raw);
  if (parsed.success) return parsed.data;
  const bad = [...new Set(parsed.error.issues.map((issue) => names[issue.path[0] as keyof typeof names]))];
  throw new Error(`The worker needs ${bad.join(', ')} (missing or not valid).`);
}

/**
 * A standby worker (local launcher only): started before any run with `HANGAR_WORKER_STANDBY=1`
 * and everything of `workerEnvironmentVariables` but the run's own three, it prepares a pristine
 * workspace and warms its build processes, then reads one `WorkerAssignment` line on stdin.
 */
export const workerStandbyVariable = 'HANGAR_WORKER_STANDBY';
/** The one line a standby worker reads on stdin: the run it becomes (the variables it was started without). */
export const WorkerAssignment = WorkerEnvironment.pick({ runId: true, runToken: true, controlPlaneUrl: true }).strict();
export type WorkerAssignment = z.infer<typeof WorkerAssignment>;
/** What a standby worker knows before its assignment. */
export const StandbyWorkerEnvironment = WorkerEnvironment.omit({ runId: true, runToken: true, controlPlaneUrl: true });
export type StandbyWorkerEnvironment = z.infer<typeof StandbyWorkerEnvironment>;

/** Reads a standby worker's environment (the names above, without the run's); throws naming what is missing. */
export function readStandbyWorkerEnvironment(env: Record<string, string | undefined>): StandbyWorkerEnvironment {
  const names = workerEnvironmentVariables;
  const raw = {
    workspacesDir: env[names.workspacesDir],
    templateDir: env[names.templateDir],
    dependencyCacheDir: env[names.dependencyCacheDir],
  };
  const parsed = StandbyWorkerEnvironment.safeParse(raw);
  if (parsed.success) return parsed.data;
  const bad = [...new Set(parsed.error.issues.map((issue) => names[issue.path[0] as keyof typeof names]))];
  throw new Error(`The standby worker needs ${bad.join(', ')} (missing or not valid).`);
}

/** Caps on the internal wire, shared by the routes and the worker. */
export const internalLimits = {
  /** Most events in one `POST …/events` batch. */
  maxEventsPerBatch: 200,
  /** Largest `POST …/events` body the control plane accepts; larger answers 413. */
  maxEventBatchBytes: 1024 * 1024,
  /** Largest single run event (JSON) a worker sends; a larger one is truncated with a marker. */
  maxEventBytes: 256 * 1024,
  /** Longest text field of a run event (see `RunEventBody`). */
  maxEventTextChars: 200_000,
  /** Longest a `GET …/events?waitMs=` waits for a first new event (a worker waiting for a person's decision). */
  maxEventsWaitMs: 10_000,
} as const;

/** Caps on one snapshot: explicit errors, never a partial version. */
export const snapshotLimits = { maxFiles: 2000, maxFileBytes: 2 * 1024 * 1024, maxTotalBytes: 32 * 1024 * 1024 } as const;

/** Appended to a string the worker shortened to fit a run event. */
export const truncationMarker = (originalLength: number) => `… [truncated by the worker: ${originalLength} characters in all]`;

/** Stands in for a tool input too large to show even after its strings were shortened. */
export const TruncatedToolInput = z.strictObject({
  truncated: z.literal(true),
  originalBytes: z.number().int().nonnegative(),
  preview: z.string().max(4096),
});
export type TruncatedToolInput = z.infer<typeof TruncatedToolInput>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');

// GET /runs/:r/context
export const RunContextResponse = z.strictObject({
  runId: Id,
  appId: Id,
  appName: z.string(),
  prompt: z.string(),
  status: RunStatus,
  /** Earlier prompts of this app, oldest first. */
  history: z.array(z.string()),
  latestVersion: z.strictObject({ ...AppVersion.shape, files: z.array(VersionFile) }).nullable(),
  /** Set for an app-agent run: the worker runs the agent loop with the app-agent toolset instead of the builder. */
  agentRun: AgentRunSpec.nullable(),
});
export type RunContextResponse = z.infer<typeof RunContextResponse>;

// POST /runs/:r/started (204)
export const WorkerStartedRequest = z.strictObject({
  /** Stable for the worker's life: a repeated `started` from the same worker is a no-op. */
  workerId: z.string().min(1).max(100),
  provider: z.string().max(100),
  model: z.string().max(200),
});
export type WorkerStartedRequest = z.infer<typeof WorkerStartedRequest>;

// POST /runs/:r/heartbeat and GET /runs/:r/status
export const HeartbeatRequest = z.strictObject({});
export const HeartbeatResponse = z.strictObject({ continue: z.boolean(), status: RunStatus });
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

// POST /runs/:r/events
export const AppendEventsRequest = z.strictObject({
  /**
   * The worker's sequence number of the first event (0, 1, 2… per run, without gaps). The control
   * plane stores each number once, so a batch resent after a lost response is not stored twice.
   * Absent: appended as is (no deduplication).
   */
  first: z.number().int().nonnegative().optional(),
  events: z.array(RunEventBody).min(1).max(internalLimits.maxEventsPerBatch),
});
export type AppendEventsRequest = z.infer<typeof AppendEventsRequest>;
export const AppendEventsResponse = z.strictObject({
  /** Ids of the events stored by this request (duplicates of earlier ones are skipped). */
  ids: z.array(z.string()),
  /** How many sequenced events the control plane holds for this run: the next `first`. */
  received: z.number().int().nonnegative(),
});
export type AppendEventsResponse = z.infer<typeof AppendEventsResponse>;

// GET /runs/:r/events?after=
export const ReadEventsQuery = z.strictObject({
  after: z.string().min(1).max(100).optional(),
  /** When nothing is newer than `after`: wait this long for the first new event before answering (long poll). */
  waitMs: z.coerce.number().int().min(0).max(internalLimits.maxEventsWaitMs).optional(),
});
export const ReadEventsResponse = z.strictObject({ items: z.array(RunEvent) });
export type ReadEventsResponse = z.infer<typeof ReadEventsResponse>;

// POST /runs/:r/plan (204)
export const ProposePlanRequest = z.strictObject({ plan: PlanCard });

// POST /runs/:r/rename (204)
export const RenameAppRequest = z.strictObject({ name: z.string().trim().min(1).max(60) });

// POST /runs/:r/missing-blobs
export const MissingBlobsRequest = z.strictObject({ sha256: z.array(sha256).max(snapshotLimits.maxFiles) });
export const MissingBlobsResponse = z.strictObject({ missing: z.array(sha256) });
export type MissingBlobsResponse = z.infer<typeof MissingBlobsResponse>;

// PUT /runs/:r/blobs (raw bytes) and GET /runs/:r/blobs/:sha (raw bytes)
export const PutBlobResponse = z.strictObject({ sha256 });
export type PutBlobResponse = z.infer<typeof PutBlobResponse>;

// POST /runs/:r/versions (201)
export const RecordVersionRequest = z.strictObject({ files: z.array(VersionFile).min(1).max(snapshotLimits.maxFiles) });
export const RecordVersionResponse = AppVersion;
export type RecordVersionResponse = z.infer<typeof RecordVersionResponse>;

/**
 * How a worker's run ended, as the worker reports it (POST /runs/:r/finish, 204). `stopped` only
 * confirms a stop the control plane already recorded (it carries the usage spent until then).
 */
export const RunOutcome = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('succeeded'), summary: z.string().max(4000), usage: Usage }),
  z.strictObject({ status: z.literal('failed'), reason: z.string().max(4000), usage: Usage }),
  z.strictObject({ status: z.literal('stopped'), usage: Usage }),
]);
export type RunOutcome = z.infer<typeof RunOutcome>;
