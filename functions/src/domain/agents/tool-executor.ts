import type { HttpTool } from '@hangar/protocol';
import { categoryOfStatus, OutboundError, type OutboundErrorCategory, type OutboundHttp } from '../../ports/outbound-http';
import type { AuditLog } from '../audit-log';
import { HangarError } from '../errors';
import type { SecretService } from './secret-service';
import { previewToolRequest, redactSecrets, renderToolRequest, validateToolInput, type ToolRequestPreview } from './tool-request';

/** One tool call of an app agent, as the control plane runs it. */
export interface ToolCall {
  workspaceId: string;
  appId: string;
  agentId: string;
  runId: string;
  tool: HttpTool;
  input: unknown;
  /** False while the configuration has no current approval: the tool answers its mock data. */
  live: boolean;
  signal?: AbortSignal;
}

/** What goes back to the agent: never a secret, never a raw socket error. */
export type ToolCallResult =
  | { ok: true; mock: boolean; status: number; body: string; host: string; latencyMs: number }
  | { ok: false; category: OutboundErrorCategory; message: string; retryable: boolean; host: string | null };

export const toolResultLimits = { maxBodyCharacters: 16_000 } as const;

/**
 * Runs app-agent HTTP tools in the control plane: validates the input against the tool's schema,
 * opens only the secrets the tool names, calls out through the safe outbound port, redacts the
 * answer, and audits name, host, outcome and latency (never arguments or bodies).
 */
export class ToolExecutor {
  constructor(
    private readonly secrets: SecretService,
    private readonly outbound: OutboundHttp,
    private readonly audit: AuditLog,
  ) {}

  /** The request as people approve it: secrets as placeholders. */
  preview(tool: HttpTool, input: unknown): ToolRequestPreview {
    return previewToolRequest(tool, validateToolInput(tool.inputSchema, input));
  }

  async execute(call: ToolCall): Promise<ToolCallResult> {
    const started = Date.now();
    const result = await this.run(call);
    await this.audit.record({
      workspaceId: call.workspaceId,
      actor: { type: 'agent', id: call.agentId },
      source: 'agent',
      action: 'agent.tool_called',
      target: { type: 'app', id: call.appId },
      summary: `${call.agentId} called ${call.tool.name} on ${result.host ?? call.tool.domain}: ${
        result.ok ? (result.mock ? 'mock answer' : `HTTP ${result.status}`) : result.category
      }`,
      outcome: result.ok ? 'success' : result.category === 'policy' ? 'denied' : 'failure',
      metadata: {
        runId: call.runId,
        tool: call.tool.name,
        host: result.host,
        mock: result.ok ? result.mock : false,
        ...(result.ok ? { status: result.status } : { category: result.category }),
        latencyMs: result.ok ? result.latencyMs : Date.now() - started,
      },
    });
    return result;
  }

  private async run(call: ToolCall): Promise<ToolCallResult> {
    const { tool } = call;
    let input: ReturnType<typeof validateToolInput>;
    try {
      input = validateToolInput(tool.inputSchema, call.input);
    } catch (error) {
      return {
        ok: false,
        category: 'input',
        message: error instanceof Error ? error.message : 'The input is not valid.',
        retryable: false,
        host: null,
      };
    }
    const host = previewToolRequest(tool, input).host;
    if (!call.live) {
      const body = JSON.stringify(
        tool.mock ?? { note: 'This tool has no mock data; it runs for real once an admin approves the configuration.' },
      );
      return { ok: true, mock: true, status: 200, body, host, latencyMs: 0 };
    }
    const secretNames = previewToolRequest(tool, input).secretNames;
    const { values, missing } = await this.secrets.resolve(call.workspaceId, call.appId, secretNames);
    if (missing.length > 0)
      return {
        ok: false,
        category: 'credential',
        message: `The secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set for this app.`,
        retryable: false,
        host,
      };
    const secretValues = [...values.values()];
    try {
      const request = renderToolRequest(tool, input, values);
      const response = await this.outbound.request({ ...request, domain: tool.domain, ...(call.signal ? { signal: call.signal } : {}) });
      const body = redactSecrets(response.body, secretValues).slice(0, toolResultLimits.maxBodyCharacters);
      const category = categoryOfStatus(response.status);
      if (category)
        return {
          ok: false,
          category,
          message: `${tool.domain} answered ${response.status}: ${body.slice(0, 500)}`,
          retryable: category === 'rate_limit' || category === 'provider',
          host,
        };
      return { ok: true, mock: false, status: response.status, body, host, latencyMs: response.latencyMs };
    } catch (error) {
      if (error instanceof OutboundError)
        return {
          ok: false,
          category: error.category,
          message: redactSecrets(error.message, secretValues),
          retryable: error.retryable,
          host,
        };
      if (error instanceof HangarError) return { ok: false, category: 'input', message: error.message, retryable: false, host };
      throw error;
    }
  }
}
