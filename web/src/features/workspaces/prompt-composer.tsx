import { PromptText } from '@hangar/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowUp, Sparkles } from 'lucide-react';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Card } from '../../components/ui/card';
import { api, errorMessage } from '../../lib/api';
import { queryKeys } from '../../lib/queries';
import { OfflineBanner } from '../builder/offline-banner';

const examplePrompts = [
  'A tracker for customer leads with name, email, company, status and next call date',
  'A vendor onboarding checklist with an approval step for finance',
  'An equipment checkout log with item, borrower, due date and returned flag',
];

/** Where builders describe an app: submitting creates it and opens the builder on its first run. */
export function PromptComposer({ workspaceId }: { workspaceId: string }) {
  const [prompt, setPrompt] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const create = useMutation({
    mutationFn: (text: string) => api.createApp(workspaceId, text),
    onSuccess: async ({ app }) => {
      queryClient.setQueryData(queryKeys.app(workspaceId, app.id), app);
      await queryClient.invalidateQueries({ queryKey: queryKeys.apps(workspaceId), exact: true });
      await navigate(`/w/${workspaceId}/apps/${app.id}`);
    },
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (create.isPending) return;
    const parsed = PromptText.safeParse(prompt);
    if (!parsed.success) return setLocalError('Describe the app you need first.');
    setLocalError(null);
    create.mutate(parsed.data);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit(event);
  };

  const error = localError ?? (create.isError ? errorMessage(create.error) : null);

  return (
    <Card className="overflow-hidden">
      <div className="flex items-center gap-2 border-b bg-muted/40 px-5 py-3">
        <Sparkles className="size-4 text-primary" aria-hidden />
        <h2 className="text-sm font-semibold">Build an app</h2>
      </div>
      <form onSubmit={submit} noValidate className="flex flex-col gap-3 px-5 pt-4 pb-4">
        <OfflineBanner />
        <label htmlFor="prompt-composer" className="sr-only">
          Describe the app you need
        </label>
        <textarea
          id="prompt-composer"
          data-testid="prompt-input"
          rows={3}
          value={prompt}
          onChange={(event) => setPrompt(event.target.value)}
          onKeyDown={onKeyDown}
          aria-invalid={error ? true : undefined}
          aria-describedby="prompt-composer-hint"
          placeholder="Describe the app you need… e.g. “A vendor onboarding tracker with an approval step for finance”"
          className="w-full resize-none bg-transparent text-sm outline-none placeholder:text-muted-foreground/80"
        />
        <div className="flex flex-wrap gap-2" aria-label="Example prompts">
          {examplePrompts.map((example) => (
            <button
              key={example}
              type="button"
              onClick={() => setPrompt(example)}
              className="max-w-full truncate rounded-full border bg-card px-3 py-1 text-xs text-muted-foreground transition-colors outline-none hover:bg-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
            >
              {example}
            </button>
          ))}
        </div>
        {error ? <Alert title="Could not start the build">{error}</Alert> : null}
        <div className="flex items-center justify-between gap-4">
          <p id="prompt-composer-hint" className="text-[13px] text-muted-foreground">
            The agent plans first, then writes and builds the app. <kbd className="font-sans">Ctrl</kbd>/<kbd className="font-sans">⌘</kbd>+
            <kbd className="font-sans">Enter</kbd> to build.
          </p>
          <Button type="submit" size="icon-sm" loading={create.isPending} aria-label="Build app" data-testid="prompt-submit">
            {create.isPending ? null : <ArrowUp aria-hidden />}
          </Button>
        </div>
      </form>
    </Card>
  );
}
