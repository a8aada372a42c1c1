import {
  AgentDataResponse,
  AgentToolCallResponse,
  ErrorBody,
  type AgentDataWriteBody,
  type AgentToolCallResponse as ToolCallAnswer,
  type AgentDataResponse as DataAnswer,
  type DataFilter,
} from '@hangar/protocol';
import type { z } from 'zod';

/** The app agent's way to its tools and data: the control plane's internal API, scoped by the run token. */
export interface AppAgentGateway {
  callTool(name: string, input: unknown, approvalId?: string): Promise<ToolCallAnswer>;
  readData(collection: string, filter: DataFilter | undefined, limit: number): Promise<DataAnswer>;
  writeData(write: AgentDataWriteBody): Promise<DataAnswer>;
  /** Waits until a person decides a pending call; resolves with the decision. */
  awaitCallDecision(approvalId: string, signal: AbortSignal): Promise<'approved' | 'rejected'>;
}

/** The HTTP gateway: every answer is parsed with the protocol's schema (no casts). */
export function createHttpAppAgentGateway(options: {
  baseUrl: string;
  runId: string;
  token: string;
  /** Resolves when a `call.decided` run event for the approval arrives. */
  awaitCallDecision: (approvalId: string, signal: AbortSignal) => Promise<'approved' | 'rejected'>;
  fetch?: typeof fetch;
}): AppAgentGateway {
  const doFetch = options.fetch ?? fetch;
  const post = async <T extends z.ZodType>(path: string, body: unknown, schema: T): Promise<z.infer<T>> => {
    const response = await doFetch(`${options.baseUrl}/internal/runs/${options.runId}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the status sentence below says enough.
      }
      const error = ErrorBody.safeParse(body);
      throw new Error(error.success ? error.data.error.message : `The control plane answered ${response.status}.`);
    }
    return schema.parse(JSON.parse(text));
  };
  return {
    callTool: (name, input, approvalId) =>
      post(`/tools/${encodeURIComponent(name)}`, { input, ...(approvalId ? { approvalId } : {}) }, AgentToolCallResponse),
    readData: (collection, filter, limit) => post('/data/read', { collection, ...(filter ? { filter } : {}), limit }, AgentDataResponse),
    writeData: (write) => post('/data/write', write, AgentDataResponse),
    awaitCallDecision: options.awaitCallDecision,
  };
}
