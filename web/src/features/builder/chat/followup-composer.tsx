import { PromptText } from '@hangar/protocol';
import { ArrowUp } from 'lucide-react';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from '../../../components/ui/button';
import { Textarea } from '../../../components/ui/textarea';
import { errorMessage } from '../../../lib/api';
import { useSendMessage } from './use-run-actions';

type FollowupComposerProps = {
  workspaceId: string;
  appId: string;
  /** Why a follow-up cannot be sent now (a run is active), or null when it can. */
  blockedReason: string | null;
  onSent: () => void;
};

/** The chat's input: a follow-up prompt starts a new run that changes the app. */
export function FollowupComposer({ workspaceId, appId, blockedReason, onSent }: FollowupComposerProps) {
  const [text, setText] = useState('');
  const send = useSendMessage({ workspaceId, appId });
  const disabled = blockedReason !== null;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const parsed = PromptText.safeParse(text);
    if (disabled || send.isPending || !parsed.success) return;
    send.mutate(parsed.data, {
      onSuccess: () => {
        setText('');
        onSent();
      },
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit(event);
  };

  const hint = send.isError ? errorMessage(send.error) : blockedReason;

  return (
    <form onSubmit={submit} className="flex flex-col gap-1.5 border-t bg-card/80 px-4 py-3">
      <label htmlFor="followup-input" className="sr-only">
        Ask for a change
      </label>
      <div className="flex items-end gap-2">
        <Textarea
          id="followup-input"
          data-testid="followup-input"
          rows={2}
          value={text}
          disabled={disabled}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={hint ? 'followup-hint' : undefined}
          placeholder={disabled ? 'Waiting for the current run…' : 'Ask for a change… e.g. “Add a notes field”'}
          className="min-h-[60px]"
        />
        <Button
          type="submit"
          size="icon"
          aria-label="Send"
          data-testid="followup-submit"
          disabled={disabled || !text.trim()}
          loading={send.isPending}
        >
          {send.isPending ? null : <ArrowUp aria-hidden />}
        </Button>
      </div>
      {hint ? (
        <p id="followup-hint" className={send.isError ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}>
          {hint}
        </p>
      ) : null}
    </form>
  );
}
