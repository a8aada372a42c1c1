/**
 * The postMessage bridge between this app (a sandboxed iframe without credentials or network) and
 * the Hangar console hosting it, as plain types. The source of truth is the zod schemas in
 * `protocol/src/bridge.ts` and `protocol/src/data.ts`; this copy exists because the template is
 * scaffolded out of the monorepo and cannot import them. `hangar-bridge-protocol.test.ts` checks
 * the two agree, at type level and by parsing the SDK's encoded messages with the real schemas.
 */

/** Every bridge message carries `hangar: 1`; anything else is not for the SDK. */
export const bridgeVersion = 1;

/** A stored document as the server returns it: its fields plus `_id` and timestamps. */
export type BridgeDocument = { _id: string; _createdAt?: string; _updatedAt?: string; [field: string]: unknown };

/** A query over one collection (`DataQuery`): filter, sort, page size and the cursor of the next page. */
export type BridgeDataQuery = {
  filter?: Record<string, unknown>;
  sort?: Record<string, 1 | -1>;
  limit?: number;
  cursor?: string;
};

/** One page of documents (`DataPage`); `nextCursor` is null on the last page. */
export type BridgeDataPage = { items: BridgeDocument[]; nextCursor: string | null };

type Envelope = { hangar: typeof bridgeVersion };
type RequestEnvelope = Envelope & { kind: 'request'; id: string };

/** What a request asks, without its envelope: one variant per operation. */
export type BridgeRequestBody =
  | { op: 'list'; collection: string; query?: BridgeDataQuery }
  | { op: 'get'; collection: string; documentId: string }
  | { op: 'insert'; collection: string; data: Record<string, unknown> }
  | { op: 'update'; collection: string; documentId: string; data: Record<string, unknown> }
  | { op: 'remove'; collection: string; documentId: string }
  | { op: 'subscribe'; collection: string }
  | { op: 'unsubscribe'; collection: string }
  | { op: 'listAgents' }
  | { op: 'triggerAgent'; agentId: string; input: Record<string, unknown> }
  | { op: 'watchAgentRun'; agentId: string; runId?: string }
  | { op: 'unwatchAgentRun'; runId: string };

export type BridgeOperation = BridgeRequestBody['op'];

/** A request; the console answers with a `response` carrying the same `id`. */
export type BridgeRequest = BridgeRequestBody extends infer Body
  ? Body extends BridgeRequestBody
    ? RequestEnvelope & Body
    : never
  : never;

/** The app announces itself once loaded; the console answers `ready`. */
export type BridgeHello = Envelope & { kind: 'hello' };

/** Everything the app may post to the console. */
export type AppToConsoleMessage = BridgeRequest | BridgeHello;

export type BridgeError = { code: string; message: string };

/**
 * Which collections the person may write (published apps, from the access rules the control
 * plane evaluates): `all`, or the declared collections open to them. Absent: all, unless `readOnly`.
 */
export type BridgeWritable = { all: boolean; collections: string[] };

export type BridgeReady = Envelope & {
  kind: 'ready';
  appId: string;
  scope: 'draft' | 'published';
  readOnly: boolean;
  writable?: BridgeWritable;
};

export type BridgeResponse =
  | (Envelope & { kind: 'response'; id: string; ok: true; result: unknown })
  | (Envelope & { kind: 'response'; id: string; ok: false; error: BridgeError });

/** One change of a subscribed collection (`DataChange`); `document` is null for deletes. */
export type BridgeDataChange = {
  operation: 'insert' | 'update' | 'delete';
  documentId: string;
  document: BridgeDocument | null;
  epoch: string;
  seq: number;
};

/** Live changes of a subscribed collection, batched. */
export type BridgeChanges = Envelope & { kind: 'changes'; collection: string; changes: BridgeDataChange[] };

/** The change stream had a gap or reconnected: reload every query of this collection. */
export type BridgeResync = Envelope & { kind: 'resync'; collection: string };

/** A document changed but was too large to push: read it again (`get`) to show what it is now. */
export type BridgeReload = Envelope & { kind: 'reload'; collection: string; documentId: string };

/** Run statuses (`RunStatus`): queued, running, waiting for a person to approve a call, or finished. */
export type BridgeRunStatus = 'queued' | 'running' | 'awaiting_approval' | 'succeeded' | 'failed' | 'stopped';

/** What the app knows of one agent run (`BridgeAgentRun`). */
export type BridgeAgentRun = {
  runId: string;
  agentId: string;
  status: BridgeRunStatus;
  /** The agent's summary once the run succeeded. */
  result: string | null;
  /** Why it failed or stopped, or why the console stopped following it. */
  error: BridgeError | null;
};

/** One agent of the app (`AgentSummary`). */
export type BridgeAgentSummary = { id: string; name: string; description: string; manualTrigger: boolean; live: boolean };

/** A watched agent run changed. */
export type BridgeAgentRunPush = Envelope & { kind: 'agentRun'; run: BridgeAgentRun };

/** What the console pushes without being asked: live data changes, reload notices, resyncs, agent run updates. */
export type BridgePush = BridgeChanges | BridgeReload | BridgeResync | BridgeAgentRunPush;

/** Everything the console may post into the app. */
export type ConsoleToAppMessage = BridgeReady | BridgeResponse | BridgePush;

/** The `result` of a successful response, per operation. */
export type BridgeResults = {
  list: BridgeDataPage;
  get: BridgeDocument | null;
  insert: BridgeDocument;
  update: BridgeDocument;
  remove: unknown;
  subscribe: unknown;
  unsubscribe: unknown;
  listAgents: { items: BridgeAgentSummary[] };
  triggerAgent: BridgeAgentRun;
  watchAgentRun: BridgeAgentRun | null;
  unwatchAgentRun: unknown;
};
