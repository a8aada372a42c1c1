import { runOfRequest } from '../run-token';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  AgentDataReadBody,
  AgentDataWriteBody,
  AgentToolCallBody,
  ToolName,
  type AgentDataResponse,
  type AgentToolCallResponse,
} from '@hangar/protocol';
import type { AgentServices } from '../../domain/agents/agent-services';
import { ForbiddenError, NotFoundError, PayloadTooLargeError } from '../../domain/errors';
import type { AppDependencies, AppEnv } from '../app-env';
import { readJson } from '../validation';

/**
 * The app-agent half of the internal API: tool calls and app data, with the run token. The
 * control plane checks the run's approved configuration on every call; the worker's own checks
 * are not trusted.
 */
export function internalAgentRoutes(deps: AppDependencies, agents: AgentServices) {
  const runOf = (c: Context<AppEnv>): string => runOfRequest(c, deps.builder.tokens);
  const maxBodyBytes = 300 * 1024;
  return new Hono<AppEnv>()
    .use(
      '/runs/:r/tools/*',
      bodyLimit({
        maxSize: maxBodyBytes,
        onError: () => {
          throw new PayloadTooLargeError(maxBodyBytes);
        },
      }),
    )
    .use(
      '/runs/:r/data/*',
      bodyLimit({
        maxSize: maxBodyBytes,
        onError: () => {
          throw new PayloadTooLargeError(maxBodyBytes);
        },
      }),
    )
    .post('/runs/:r/tools/:name', async (c) => {
      const runId = runOf(c);
      const name = ToolName.safeParse(c.req.param('name'));
      if (!name.success) throw new NotFoundError('No such tool.');
      const { input, approvalId } = await readJson(c, AgentToolCallBody);
      return c.json((await agents.runs.callTool(runId, name.data, input, approvalId)) satisfies AgentToolCallResponse);
    })
    .post('/runs/:r/data/read', async (c) => {
      const runId = runOf(c);
      const { collection, filter, limit } = await readJson(c, AgentDataReadBody);
      const run = await agents.runs.agentRun(runId);
      return c.json({ status: 'ok', items: await agents.dataAccess.read(run, collection, filter, limit) } satisfies AgentDataResponse);
    })
    .post('/runs/:r/data/write', async (c) => {
      const runId = runOf(c);
      const write = await readJson(c, AgentDataWriteBody);
      const { approvalId, ...change } = write;
      // The collection is checked before the approval gate: an undeclared one is refused, not queued for a person.
      agents.dataAccess.key(await agents.runs.agentRun(runId), write.collection, 'write');
      const { run, gate } = await agents.runs.gateWrite(runId, change, approvalId);
      if (gate.status === 'approval_required')
        return c.json({ status: 'approval_required', approvalId: gate.approvalId } satisfies AgentDataResponse);
      if (gate.status === 'refused') throw new ForbiddenError(gate.message);
      return c.json({ status: 'ok', items: await agents.dataAccess.write(run, write) } satisfies AgentDataResponse);
    });
}
