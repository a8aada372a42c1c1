import type { AgentsDocument, Run } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Play } from 'lucide-react';
import { useId, useState } from 'react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Label } from '../../components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../../components/ui/select';
import { Textarea } from '../../components/ui/textarea';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { agentKeys } from './agents-queries';

type RunAgentFormProps = {
  workspaceId: string;
  appId: string;
  document: AgentsDocument;
  /** Whether the saved configuration holds a current approval (otherwise tools answer mock data). */
  live: boolean;
  onStarted: (run: Run) => void;
};

/** Parses the run input: a JSON object, or a readable reason why not. */
export function parseRunInput(text: string): { ok: true; input: Record<string, unknown> } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, input: {} };
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { ok: false, message: 'The input must be a JSON object, like {"company": "Acme"}.' };
    return { ok: true, input: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: `The input is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A manual run of one agent with a JSON input, against the draft configuration. */
export function RunAgentForm({ workspaceId, appId, document, live, onStarted }: RunAgentFormProps) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const manual = document.agents.filter((agent) => agent.triggers.some((trigger) => trigger.type === 'manual'));
  const [agentId, setAgentId] = useState(manual[0]?.id ?? '');
  const [inputText, setInputText] = useState('{}');
  const inputId = useId();
  const parsed = parseRunInput(inputText);
  const start = useMutation({
    mutationFn: () => api.startAgentRun(workspaceId, appId, agentId, parsed.ok ? parsed.input : {}),
    onSuccess: async (run) => {
      toast.show({
        title: 'Agent run started',
        description: live ? 'It uses the approved tools.' : 'Not approved yet: tools answer with mock data.',
      });
      await queryClient.invalidateQueries({ queryKey: agentKeys.runs(workspaceId, appId) });
      onStarted(run);
    },
  });

  if (manual.length === 0)
    return <p className="text-[13px] text-muted-foreground">No agent in the saved configuration has a manual trigger.</p>;

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (parsed.ok && agentId) start.mutate();
      }}
      data-testid="run-agent-form"
    >
      <div className="flex flex-col gap-1.5">
        <Label>Agent</Label>
        <Select value={agentId} onValueChange={setAgentId}>
          <SelectTrigger data-testid="run-agent-select" aria-label="Agent">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {manual.map((agent) => (
              <SelectItem key={agent.id} value={agent.id}>
                {agent.name}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={inputId}>Input (JSON)</Label>
        <Textarea
          id={inputId}
          rows={4}
          value={inputText}
          onChange={(event) => setInputText(event.target.value)}
          className="font-mono text-xs"
          spellCheck={false}
          aria-invalid={!parsed.ok || undefined}
          data-testid="run-agent-input"
        />
        {parsed.ok ? null : <p className="text-[13px] text-destructive">{parsed.message}</p>}
      </div>
      {start.isError ? <Alert title="Could not start the run">{errorMessage(start.error)}</Alert> : null}
      <div className="flex items-center gap-2">
        <Button type="submit" size="sm" disabled={!parsed.ok || !agentId} loading={start.isPending} data-testid="run-agent-submit">
          <Play aria-hidden />
          Run
        </Button>
        <span className="text-xs text-muted-foreground">
          {live ? 'Approved: real tools and app data.' : 'Not approved: mock tool answers, no app data.'}
        </span>
      </div>
    </form>
  );
}
