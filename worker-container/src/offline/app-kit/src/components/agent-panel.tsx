import { BotIcon, LoaderCircleIcon, PlayIcon } from 'lucide-react';
import { useState } from 'react';
import { Badge, type BadgeProps } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { isAgentRunFinished, useAgent, useAgentList, type AgentStatus, type AgentSummary } from '@/lib/hangar';
import type { AnyRecord } from '@/lib/record-fields';

export type AgentPanelProps = {
  /** The records an agent may be run on. */
  records: readonly AnyRecord[];
  /** A record's title, shown in the picker. */
  nameOf: (record: AnyRecord) => string;
  /** What one record is called, e.g. `lead`. */
  noun: string;
};

const statusLabels: Record<AgentStatus, string> = {
  idle: 'Not run yet',
  starting: 'Starting…',
  queued: 'Queued',
  running: 'Running…',
  awaiting_approval: 'Waiting for approval',
  succeeded: 'Done',
  failed: 'Failed',
  stopped: 'Stopped',
};
const statusVariants: Record<AgentStatus, BadgeProps['variant']> = {
  idle: 'outline',
  starting: 'secondary',
  queued: 'secondary',
  running: 'secondary',
  awaiting_approval: 'secondary',
  succeeded: 'success',
  failed: 'destructive',
  stopped: 'outline',
};

/** What an agent gets when run on a record: its id and its plain fields (the agent takes what its tools need). */
function inputOf(record: AnyRecord): Record<string, unknown> {
  const input: Record<string, unknown> = { id: record._id };
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith('_')) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') input[key] = value;
  }
  return input;
}

/** The app's agents (from agents.json): a button per agent a person may start, with its live status and result. */
export function AgentPanel({ records, nameOf, noun }: AgentPanelProps) {
  const { data: agents } = useAgentList();
  if (agents.length === 0) return null;
  return (
    <Card className="gap-0 overflow-hidden py-0" aria-label="Agents">
      <div className="flex items-center gap-2 border-b px-4 py-3">
        <BotIcon className="size-4 text-muted-foreground" aria-hidden="true" />
        <h2 className="text-sm font-semibold">Agents</h2>
      </div>
      <ul className="divide-y">
        {agents.map((agent) => (
          <AgentRow key={agent.id} agent={agent} records={records} nameOf={nameOf} noun={noun} />
        ))}
      </ul>
    </Card>
  );
}

function AgentRow({ agent, records, nameOf, noun }: AgentPanelProps & { agent: AgentSummary }) {
  const { trigger, status, result, error } = useAgent(agent.id);
  const [chosen, setChosen] = useState<string>('');
  const record = records.find((candidate) => candidate._id === chosen) ?? records[0];
  const busy = status === 'starting' || (status !== 'idle' && !isAgentRunFinished(status));
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start" data-agent={agent.id}>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{agent.name}</span>
          <Badge variant={statusVariants[status]} data-testid={`agent-status-${agent.id}`}>
            {busy ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
            {statusLabels[status]}
          </Badge>
          {agent.live ? null : <Badge variant="outline">Mock tools until approved</Badge>}
        </div>
        {agent.description ? <p className="mt-1 text-sm text-muted-foreground">{agent.description}</p> : null}
        {status === 'awaiting_approval' ? (
          <p className="mt-2 text-sm text-muted-foreground">
            Its next change to a {noun} waits until a person approves that exact call in Hangar.
          </p>
        ) : null}
        {result ? (
          <p className="mt-2 text-sm" data-testid={`agent-result-${agent.id}`}>
            {result}
          </p>
        ) : null}
        {error ? (
          <p className="mt-2 text-sm text-destructive" role="alert">
            {error.message}
          </p>
        ) : null}
      </div>
      {agent.manualTrigger ? (
        <div className="flex shrink-0 items-center gap-2">
          <Select value={record?._id ?? ''} onValueChange={setChosen} disabled={records.length === 0}>
            <SelectTrigger className="w-44" aria-label={`The ${noun} to run ${agent.name} on`}>
              <SelectValue placeholder={`No ${noun} yet`} />
            </SelectTrigger>
            <SelectContent>
              {records.map((candidate) => (
                <SelectItem key={candidate._id} value={candidate._id}>
                  {nameOf(candidate) || candidate._id}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Button disabled={!record || busy} onClick={() => record && void trigger(inputOf(record))}>
            <PlayIcon aria-hidden="true" />
            Run {agent.name}
          </Button>
        </div>
      ) : (
        <span className="text-sm text-muted-foreground">Runs on its schedule</span>
      )}
    </li>
  );
}
