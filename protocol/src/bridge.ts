import { z } from 'zod';
import { AgentRunInput, AgentSummary } from './agent-runs';
import { AgentId } from './agents';
import { Id } from './common';
import { CollectionName, DataChange, DataQuery, DocumentId } from './data';
import { RunStatus } from './run';

/**
 * The postMessage bridge between a generated app (sandboxed iframe, no credentials) and the
 * console that hosts it. Versioned by `hangar: 1`. Requests carry ids that responses echo.
 * The console accepts a message only from its own iframe's window and posts only to it.
 */
export const bridgeVersion = 1;

const base = { hangar: z.literal(bridgeVersion) };
const RequestId = z.string().min(1).max(64);
const Data = z.record(z.string(), z.unknown());

export const BridgeRequest = z.discriminatedUnion('op', [
  z.strictObject({
    ...base,
    kind: z.literal('request'),
    id: RequestId,
    op: z.literal('list'),
    collection: CollectionName,
    query: DataQuery.optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('request'),
    id: RequestId,
    op: z.literal('get'),
    collection: CollectionName,
    documentId: DocumentId,
  }),
  z.strictObject({ ...base, kind: z.literal('request'), id: RequestId, op: z.literal('insert'), collection: CollectionName, data: Data }),
  z.strictObject({
    ...base,
    kind: z.literal('request'),
    id: RequestId,
    op: z.literal('update'),
    collection: CollectionName,
    documentId: DocumentId,
    data: Data,
  }),
  z.strictObject({
    ...base,
    kind: z.literal('request'),
    id: RequestId,
    op: z.literal('remove'),
    collection: CollectionName,
    documentId: DocumentId,
  }),
  z.strictObject({ ...base, kind: z.literal('request'), id: RequestId, op: z.literal('subscribe'), collection: CollectionName }),
  z.strictObject({ ...base, kind: z.literal('request'), id: RequestId, op: z.literal('unsubscribe'), collection: CollectionName }),
  /** App agents (`useAgentList`): the agents of this app in the bridge's scope. */
  z.strictObject({ ...base, kind: z.literal('request'), id: RequestId, op: z.literal('listAgents') }),
  /** `useAgent(id).trigger(input)`: starts a run as the signed-in person; answers its first state. */
  z.strictObject({
    ...base,
    kind: z.literal('request'),
    id: RequestId,
    op: z.literal('triggerAgent'),
    agentId: AgentId,
    input: AgentRunInput,
  }),
  /**
   * Follow a run of an agent: `runId` when the app knows it, else the last run this browser
   * started of that agent in this app (so a reloaded app re-attaches). Answers its state, or null
   * when there is none; then `agentRun` pushes every change until `unwatchAgentRun`.
   */
  z.strictObject({
    ...base,
    kind: z.literal('request'),
    id: RequestId,
    op: z.literal('watchAgentRun'),
    agentId: AgentId,
    runId: Id.optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('request'), id: RequestId, op: z.literal('unwatchAgentRun'), runId: Id }),
]);
export type BridgeRequest = z.infer<typeof BridgeRequest>;
export type BridgeOperation = BridgeRequest['op'];

/** The app announces itself once loaded; the console answers `ready`. */
export const BridgeHello = z.strictObject({ ...base, kind: z.literal('hello') });

/** Everything an app may post to the console. */
export const AppToConsoleMessage = z.union([BridgeRequest, BridgeHello]);
export type AppToConsoleMessage = z.infer<typeof AppToConsoleMessage>;

export const BridgeError = z.strictObject({ code: z.string(), message: z.string() });

/** What the app knows of one agent run: its status, the agent's summary when it succeeded, why it failed. */
export const BridgeAgentRun = z.strictObject({
  runId: Id,
  agentId: AgentId,
  status: RunStatus,
  /** The run's summary once it succeeded. */
  result: z.string().max(4000).nullable(),
  /** Why it failed or stopped, or why the console stopped following it (access removed). */
  error: z.strictObject({ code: z.string().max(64), message: z.string().max(4000) }).nullable(),
});
export type BridgeAgentRun = z.infer<typeof BridgeAgentRun>;

/** The `result` of `listAgents`. */
export const BridgeAgentList = z.strictObject({ items: z.array(AgentSummary).max(20) });

/** The answer to one request: a result, or an error. */
export const BridgeResponse = z.union([
  z.strictObject({ ...base, kind: z.literal('response'), id: RequestId, ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ ...base, kind: z.literal('response'), id: RequestId, ok: z.literal(false), error: BridgeError }),
]);

/**
 * Which collections the person may write, from the access rules the control plane evaluates
 * (published apps): `all` for admins and owners, else the declared collections open to them.
 * Absent: every collection, unless `readOnly`.
 */
export const BridgeWritable = z.strictObject({ all: z.boolean(), collections: z.array(CollectionName).max(500) });
export type BridgeWritable = z.infer<typeof BridgeWritable>;

/** Everything the console may post into the app. */
export const ConsoleToAppMessage = z.union([
  z.strictObject({
    ...base,
    kind: z.literal('ready'),
    appId: z.string(),
    scope: z.enum(['draft', 'published']),
    readOnly: z.boolean(),
    writable: BridgeWritable.optional(),
  }),
  BridgeResponse,
  /** Live changes of a subscribed collection, batched. */
  z.strictObject({ ...base, kind: z.literal('changes'), collection: CollectionName, changes: z.array(DataChange).max(500) }),
  /** A document changed but was too large to push: read it again (`get`) and show what it is now. */
  z.strictObject({ ...base, kind: z.literal('reload'), collection: CollectionName, documentId: DocumentId }),
  /** The stream had a gap or reconnected: reload every query of this collection. */
  z.strictObject({ ...base, kind: z.literal('resync'), collection: CollectionName }),
  /** A watched agent run changed (status, result or error). */
  z.strictObject({ ...base, kind: z.literal('agentRun'), run: BridgeAgentRun }),
]);
export type ConsoleToAppMessage = z.infer<typeof ConsoleToAppMessage>;
