import {
  bridgeVersion,
  type BridgeAgentRun,
  type BridgeAgentSummary,
  type BridgeDataChange,
  type BridgeDataPage,
  type BridgeDocument,
  type BridgeHello,
  type BridgeRequest,
  type BridgeRequestBody,
  type BridgeWritable,
  type ConsoleToAppMessage,
} from './hangar-bridge-protocol';

/**
 * Builds the messages the SDK posts and checks the ones it receives. Everything arriving over
 * postMessage is untrusted input: the decoder accepts only well-formed bridge messages and returns
 * null for anything else (other libraries' messages, browser extensions, malformed data).
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

/** Drops keys whose value is undefined, so strict schemas on the other side see only real fields. */
function defined<T extends Record<string, unknown>>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

export function encodeHello(): BridgeHello {
  return { hangar: bridgeVersion, kind: 'hello' };
}

export function encodeRequest(id: string, body: BridgeRequestBody): BridgeRequest {
  if (body.op === 'list') {
    const { query, ...rest } = body;
    const fields = query ? defined(query) : {};
    return { hangar: bridgeVersion, kind: 'request', id, ...rest, ...(Object.keys(fields).length > 0 ? { query: fields } : {}) };
  }
  return { hangar: bridgeVersion, kind: 'request', id, ...body };
}

/** A stored document: an object with a string `_id` (and string timestamps when present). */
export function decodeDocument(value: unknown): BridgeDocument | null {
  if (!isRecord(value) || !isNonEmptyString(value['_id'], 128)) return null;
  for (const key of ['_createdAt', '_updatedAt']) if (value[key] !== undefined && typeof value[key] !== 'string') return null;
  return value as BridgeDocument;
}

export function decodeDataPage(value: unknown): BridgeDataPage | null {
  if (!isRecord(value) || !Array.isArray(value['items'])) return null;
  const nextCursor = value['nextCursor'];
  if (nextCursor !== null && typeof nextCursor !== 'string') return null;
  const items: BridgeDocument[] = [];
  for (const item of value['items'] as unknown[]) {
    const document = decodeDocument(item);
    if (!document) return null;
    items.push(document);
  }
  return { items, nextCursor };
}

function decodeChange(value: unknown): BridgeDataChange | null {
  if (!isRecord(value)) return null;
  const { operation, documentId, document, epoch, seq } = value;
  if (operation !== 'insert' && operation !== 'update' && operation !== 'delete') return null;
  if (!isNonEmptyString(documentId, 128) || typeof epoch !== 'string' || typeof seq !== 'number') return null;
  const decoded = document === null ? null : decodeDocument(document);
  if (document !== null && (!decoded || decoded._id !== documentId)) return null;
  if (operation !== 'delete' && !decoded) return null;
  return { operation, documentId, document: operation === 'delete' ? null : decoded, epoch, seq };
}

const runStatuses = new Set(['queued', 'running', 'awaiting_approval', 'succeeded', 'failed', 'stopped']);
const idPattern = /^[A-Za-z0-9_-]{1,128}$/;

/** An agent run's state as the console reports it, or null when malformed. */
export function decodeAgentRun(value: unknown): BridgeAgentRun | null {
  if (!isRecord(value)) return null;
  const { runId, agentId, status, result, error } = value;
  if (typeof runId !== 'string' || !idPattern.test(runId) || !isNonEmptyString(agentId, 48)) return null;
  if (typeof status !== 'string' || !runStatuses.has(status)) return null;
  if (result !== null && typeof result !== 'string') return null;
  if (error !== null && (!isRecord(error) || typeof error['code'] !== 'string' || typeof error['message'] !== 'string')) return null;
  return {
    runId,
    agentId,
    status: status as BridgeAgentRun['status'],
    result,
    error: error === null ? null : { code: error['code'] as string, message: error['message'] as string },
  };
}

/** The agents of `listAgents`, or null when malformed. */
export function decodeAgentList(value: unknown): BridgeAgentSummary[] | null {
  if (!isRecord(value) || !Array.isArray(value['items'])) return null;
  const agents: BridgeAgentSummary[] = [];
  for (const item of value['items'] as unknown[]) {
    if (!isRecord(item)) return null;
    const { id, name, description, manualTrigger, live } = item;
    if (!isNonEmptyString(id, 48) || typeof name !== 'string' || typeof description !== 'string') return null;
    if (typeof manualTrigger !== 'boolean' || typeof live !== 'boolean') return null;
    agents.push({ id, name, description, manualTrigger, live });
  }
  return agents;
}

function decodeWritable(value: unknown): BridgeWritable | null {
  if (!isRecord(value) || typeof value['all'] !== 'boolean' || !Array.isArray(value['collections'])) return null;
  const collections = value['collections'] as unknown[];
  if (collections.length > 500 || !collections.every((name) => isNonEmptyString(name, 64))) return null;
  return { all: value['all'], collections: collections };
}

/** The console message `data` holds, or null when it is not a valid bridge message. */
export function decodeConsoleMessage(data: unknown): ConsoleToAppMessage | null {
  if (!isRecord(data) || data['hangar'] !== bridgeVersion) return null;
  switch (data['kind']) {
    case 'ready': {
      const { appId, scope, readOnly } = data;
      if (typeof appId !== 'string' || (scope !== 'draft' && scope !== 'published') || typeof readOnly !== 'boolean') return null;
      if (data['writable'] === undefined) return { hangar: bridgeVersion, kind: 'ready', appId, scope, readOnly };
      const writable = decodeWritable(data['writable']);
      return writable ? { hangar: bridgeVersion, kind: 'ready', appId, scope, readOnly, writable } : null;
    }
    case 'response': {
      const { id, ok, result, error } = data;
      if (!isNonEmptyString(id, 64)) return null;
      if (ok === true) return { hangar: bridgeVersion, kind: 'response', id, ok, result };
      if (ok !== false || !isRecord(error) || typeof error['code'] !== 'string' || typeof error['message'] !== 'string') return null;
      return { hangar: bridgeVersion, kind: 'response', id, ok, error: { code: error['code'], message: error['message'] } };
    }
    case 'changes': {
      const { collection, changes } = data;
      if (!isNonEmptyString(collection, 64) || !Array.isArray(changes)) return null;
      const decoded: BridgeDataChange[] = [];
      for (const change of changes as unknown[]) {
        const valid = decodeChange(change);
        if (!valid) return null;
        decoded.push(valid);
      }
      return { hangar: bridgeVersion, kind: 'changes', collection, changes: decoded };
    }
    case 'reload': {
      const { collection, documentId } = data;
      if (!isNonEmptyString(collection, 64) || !isNonEmptyString(documentId, 128)) return null;
      return { hangar: bridgeVersion, kind: 'reload', collection, documentId };
    }
    case 'resync':
      return isNonEmptyString(data['collection'], 64) ? { hangar: bridgeVersion, kind: 'resync', collection: data['collection'] } : null;
    case 'agentRun': {
      const run = decodeAgentRun(data['run']);
      return run ? { hangar: bridgeVersion, kind: 'agentRun', run } : null;
    }
    default:
      return null;
  }
}
