import type { AgentsConfigResponse } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { RotateCcw, Save } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { useToast } from '../../components/ui/toast';
import { api, errorMessage } from '../../lib/api';
import { queryKeys } from '../../lib/queries';
import { CollapsibleSection } from '../builder/chat/collapsible-section';
import { DiffView } from '../builder/diff-view';
import { agentKeys, refreshAgents } from './agents-queries';
import { ApprovalCard } from './approval-card';
import { CapabilitiesCard } from './capabilities-card';
import { JsonEditor, type JsonEditorHandle } from './json-editor';
import { diffLineCounts, lineDiff } from './line-diff';
import { parseJsonOrUndefined } from './required-secrets';
import { starterAgentsText } from './starter-agents';
import { useLiveValidation } from './use-live-validation';
import { ValidationProblems } from './validation-problems';

type AgentsConfigTabProps = {
  workspaceId: string;
  appId: string;
  config: AgentsConfigResponse;
  canApprove: boolean;
  meId: string;
};

function agentNamesOf(document: unknown): Record<string, string> {
  const agents = (document as { agents?: unknown } | undefined)?.agents;
  const names: Record<string, string> = {};
  if (Array.isArray(agents))
    for (const agent of agents as { id?: unknown; name?: unknown }[])
      if (typeof agent?.id === 'string') names[agent.id] = typeof agent.name === 'string' ? agent.name : agent.id;
  return names;
}

/** agents.json in an editor, checked as you type, saved as a new version; beside it the approval and what each agent can do. */
export function AgentsConfigTab({ workspaceId, appId, config, canApprove, meId }: AgentsConfigTabProps) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const saved = config.text ?? '';
  const [text, setText] = useState(config.text ?? starterAgentsText);
  const [base, setBase] = useState(saved);
  const editor = useRef<JsonEditorHandle>(null);
  const problemsId = useId();
  const dirty = text !== saved;
  const newerOnServer = base !== saved;

  // Someone (or a build) saved a newer configuration: follow it unless this tab holds its own edits.
  useEffect(() => {
    if (base === saved) return;
    if (text === base) {
      setText(config.text ?? starterAgentsText);
      setBase(saved);
    }
  }, [base, saved, text, config.text]);

  const live = useLiveValidation(workspaceId, appId, text);
  const errorLines = useMemo(() => new Set(live.problems.flatMap((problem) => (problem.line ? [problem.line] : []))), [live.problems]);
  const unsavedDiff = useMemo(() => (dirty && config.text !== null ? lineDiff(saved, text) : ''), [dirty, saved, text, config.text]);
  const document = useMemo(() => parseJsonOrUndefined(text), [text]);

  const save = useMutation({
    mutationFn: () => api.saveAgents(workspaceId, appId, JSON.parse(text) as unknown),
    onSuccess: async (next) => {
      queryClient.setQueryData(agentKeys.config(workspaceId, appId), next);
      setText(next.text ?? '');
      setBase(next.text ?? '');
      toast.show({
        title: 'agents.json saved',
        description:
          next.approval?.state === 'current' ? 'The approval still matches.' : 'Saved as a new version. An admin or owner approves it.',
      });
      await refreshAgents(queryClient, workspaceId, appId);
      await queryClient.invalidateQueries({ queryKey: queryKeys.versions(workspaceId, appId) });
    },
  });
  const canSave = dirty && document !== undefined && live.problems.length === 0 && !live.checking;
  const capabilities = live.result?.capabilities ?? (dirty ? {} : config.validation.capabilities);

  return (
    <div className="grid min-h-0 flex-1 gap-4 overflow-auto p-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="flex flex-col gap-3">
        {config.text === null ? (
          <p className="rounded-md bg-muted px-3 py-2 text-[13px] text-muted-foreground" data-testid="agents-empty">
            This app declares no agents yet. Start from the example below: describe the agent, add HTTP tools with{' '}
            <code className="font-mono">{'{{input.field}}'}</code> and <code className="font-mono">{'{{secrets.NAME}}'}</code> placeholders,
            and save.
          </p>
        ) : null}
        {newerOnServer && dirty ? (
          <Alert
            title="A newer agents.json was saved meanwhile"
            action={
              <Button size="sm" variant="outline" onClick={() => (setText(config.text ?? starterAgentsText), setBase(saved))}>
                Load it
              </Button>
            }
          >
            Your edits are based on an older version. Loading the new one discards them.
          </Alert>
        ) : null}
        <div className="flex items-center gap-2">
          <h2 className="text-sm font-semibold">agents.json</h2>
          {dirty ? (
            <span className="text-xs text-muted-foreground" data-testid="agents-dirty">
              Unsaved changes
            </span>
          ) : null}
          <div className="ml-auto flex items-center gap-2">
            <Button
              size="sm"
              variant="ghost"
              disabled={!dirty || save.isPending}
              onClick={() => (setText(config.text ?? starterAgentsText), setBase(saved))}
            >
              <RotateCcw aria-hidden />
              Discard
            </Button>
            <Button size="sm" disabled={!canSave} loading={save.isPending} onClick={() => save.mutate()} data-testid="agents-save">
              <Save aria-hidden />
              Save
            </Button>
          </div>
        </div>
        <div className="flex h-[min(40rem,calc(100dvh-24rem))] min-h-[16rem] flex-col">
          <JsonEditor ref={editor} value={text} onChange={setText} errorLines={errorLines} label="agents.json" describedBy={problemsId} />
        </div>
        <ValidationProblems
          id={problemsId}
          problems={live.problems}
          checking={live.checking}
          checkError={live.checkError}
          onJump={(line) => editor.current?.focusLine(line)}
        />
        {save.isError ? <Alert title="Could not save agents.json">{errorMessage(save.error)}</Alert> : null}
        {unsavedDiff ? (
          <CollapsibleSection
            summary={`Your unsaved changes (+${diffLineCounts(unsavedDiff).added} −${diffLineCounts(unsavedDiff).removed} lines)`}
          >
            <DiffView diff={unsavedDiff} className="max-h-72" />
          </CollapsibleSection>
        ) : null}
      </div>
      <div className="flex flex-col gap-4">
        <ApprovalCard workspaceId={workspaceId} appId={appId} config={config} canApprove={canApprove} dirty={dirty} meId={meId} />
        <CapabilitiesCard capabilities={capabilities} agentNames={agentNamesOf(document)} />
      </div>
    </div>
  );
}
