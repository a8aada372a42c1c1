import type { AgentDataWriteBody, AgentRunSpec, HttpTool, ToolInputSchema } from '@hangar/protocol';
import { z, type ZodType } from 'zod';
import type { BuilderTool, ToolResult } from '../workspace/tool';
import type { AppAgentGateway } from './app-agent-gateway';

/** The zod input of an HTTP tool, from its declared JSON Schema subset (strict: no extra keys). */
export function toolInputSchema(schema: ToolInputSchema): ZodType<Record<string, unknown>> {
  const shape: Record<string, ZodType> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties)) {
    let field: ZodType =
      property.type === 'string'
        ? z.string().max(property.maxLength ?? 2000)
        : property.type === 'boolean'
          ? z.boolean()
          : property.type === 'integer'
            ? z.number().int()
            : z.number();
    if (property.enum)
      field = field.refine((value) => property.enum?.includes(value as string | number), `must be one of ${property.enum.join(', ')}`);
    if (property.description) field = field.describe(property.description);
    shape[name] = required.has(name) ? field : field.optional();
  }
  return z.strictObject(shape);
}

/** Waits for a person when the control plane says this exact call needs approval, then retries it once. */
async function withApproval<T extends { status: string }>(
  gateway: AppAgentGateway,
  signal: AbortSignal | undefined,
  attempt: (approvalId?: string) => Promise<T>,
): Promise<T | { status: 'rejected' }> {
  const first = await attempt();
  if (first.status !== 'approval_required' || !('approvalId' in first)) return first;
  const approvalId = String(first.approvalId);
  const decision = await gateway.awaitCallDecision(approvalId, signal ?? new AbortController().signal);
  if (decision === 'rejected') return { status: 'rejected' };
  return attempt(approvalId);
}

function httpTool(tool: HttpTool, gateway: AppAgentGateway): BuilderTool<Record<string, unknown>> {
  return {
    name: tool.name,
    description: `${tool.description} (${tool.method} ${tool.domain})`,
    input: toolInputSchema(tool.inputSchema),
    async execute(input, context): Promise<ToolResult> {
      const answer = await withApproval(gateway, context.signal, (approvalId) => gateway.callTool(tool.name, input, approvalId));
      switch (answer.status) {
        case 'ok':
          return { ok: true, output: answer.body, summary: `${tool.name} → ${answer.httpStatus}${answer.mock ? ' (mock data)' : ''}` };
        case 'error':
          return { ok: false, output: `${answer.category} error: ${answer.message}`, summary: `${tool.name}: ${answer.category} error` };
        case 'rejected':
          return { ok: false, output: 'A person rejected this call. Do not retry it.', summary: `${tool.name}: rejected` };
        case 'approval_required':
          return { ok: false, output: 'The call still needs approval.', summary: `${tool.name}: awaiting approval` };
      }
    },
  };
}

function readTool(collections: [string, ...string[]], gateway: AppAgentGateway) {
  const input = z.strictObject({
    collection: z.enum(collections),
    filter: z.record(z.string(), z.unknown()).optional().describe('A Mongo-style filter, e.g. {"status":"new"}'),
    limit: z.number().int().min(1).max(50).optional(),
  });
  const tool: BuilderTool<z.infer<typeof input>> = {
    name: 'read_app_data',
    description: `Reads documents of the app's collections: ${collections.join(', ')}.`,
    input,
    async execute({ collection, filter, limit }) {
      const answer = await gateway.readData(collection, filter as never, limit ?? 20);
      if (answer.status !== 'ok') return { ok: false, output: 'Reading needs approval.', summary: 'read_app_data: awaiting approval' };
      return { ok: true, output: JSON.stringify(answer.items), summary: `Read ${answer.items.length} from ${collection}` };
    },
  };
  return tool as BuilderTool<unknown>;
}

function writeTool(collections: [string, ...string[]], gateway: AppAgentGateway) {
  const input = z
    .strictObject({
      operation: z.enum(['insert', 'update', 'delete']),
      collection: z.enum(collections),
      id: z.string().min(1).max(128).optional().describe('The document id, for update and delete'),
      document: z.record(z.string(), z.unknown()).optional().describe('The new document, for insert'),
      set: z.record(z.string(), z.unknown()).optional().describe('Fields to set, for update'),
    })
    .superRefine((value, context) => {
      if (value.operation === 'insert' && !value.document) context.addIssue({ code: 'custom', message: 'insert needs document' });
      if (value.operation !== 'insert' && !value.id) context.addIssue({ code: 'custom', message: `${value.operation} needs id` });
      if (value.operation === 'update' && !value.set) context.addIssue({ code: 'custom', message: 'update needs set' });
    });
  const toBody = (value: z.infer<typeof input>, approvalId?: string): AgentDataWriteBody => {
    const approval = approvalId ? { approvalId } : {};
    if (value.operation === 'insert')
      return { operation: 'insert', collection: value.collection, document: value.document ?? {}, ...approval };
    if (value.operation === 'update')
      return { operation: 'update', collection: value.collection, id: value.id ?? '', set: value.set ?? {}, ...approval };
    return { operation: 'delete', collection: value.collection, id: value.id ?? '', ...approval };
  };
  const tool: BuilderTool<z.infer<typeof input>> = {
    name: 'update_app_data',
    description: `Inserts, updates (set fields) or deletes documents in: ${collections.join(', ')}. People see the change live.`,
    input,
    async execute(write, context) {
      const answer = await withApproval(gateway, context.signal, (approvalId) => gateway.writeData(toBody(write, approvalId)));
      if (answer.status === 'rejected')
        return { ok: false, output: 'A person rejected this write. Do not retry it.', summary: 'update_app_data: rejected' };
      if (answer.status !== 'ok')
        return { ok: false, output: 'The write still needs approval.', summary: 'update_app_data: awaiting approval' };
      return { ok: true, output: JSON.stringify(answer.items), summary: `${write.operation} in ${write.collection}` };
    },
  };
  return tool as BuilderTool<unknown>;
}

/**
 * The app-agent toolset: the agent's approved HTTP tools plus read_app_data / update_app_data
 * limited to its declared collections. A draft agent without a current approval gets its tools
 * (answering mock data) and no data tools at all.
 */
export function createAppAgentTools(spec: AgentRunSpec, gateway: AppAgentGateway): BuilderTool<unknown>[] {
  const declared = new Map(spec.tools.map((tool) => [tool.name, tool]));
  const tools: BuilderTool<unknown>[] = spec.agent.tools
    .map((name) => declared.get(name))
    .filter((tool): tool is HttpTool => tool !== undefined)
    .map((tool) => httpTool(tool, gateway) as BuilderTool<unknown>);
  if (!spec.live) return tools;
  const [firstRead, ...otherReads] = spec.agent.dataCollections.read;
  if (firstRead) tools.push(readTool([firstRead, ...otherReads], gateway));
  const [firstWrite, ...otherWrites] = spec.agent.dataCollections.write;
  if (firstWrite) tools.push(writeTool([firstWrite, ...otherWrites], gateway));
  return tools;
}
