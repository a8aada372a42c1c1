import type { PlanCard as Plan, PlanDecisionBody } from '@hangar/protocol';
import { Check, ListChecks, PencilLine } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button';
import { Textarea } from '../../../components/ui/textarea';

type PlanCardProps = {
  plan: Plan;
  /** Whether the run waits for this plan to be accepted or amended, and this identity may decide. */
  decidable: boolean;
  deciding: boolean;
  onDecide: (body: PlanDecisionBody) => void;
};

/** The agent's plan for a new app; while the run waits for it, the builder accepts it or asks for changes. */
export function PlanCard({ plan, decidable, deciding, onDecide }: PlanCardProps) {
  const [amending, setAmending] = useState(false);
  const [note, setNote] = useState('');
  const noteId = useId();

  const submitAmend = (event: FormEvent) => {
    event.preventDefault();
    if (note.trim()) onDecide({ decision: 'amend', note: note.trim() });
  };

  return (
    <div data-testid="plan-card" className="rounded-lg border border-primary/25 bg-accent/40 px-4 py-3">
      <div className="flex items-center gap-2">
        <ListChecks className="size-4 text-primary" aria-hidden />
        <h3 className="text-sm font-semibold">{plan.title}</h3>
      </div>
      {plan.summary ? <p className="mt-1.5 text-[13px] text-foreground/80">{plan.summary}</p> : null}
      {plan.steps.length > 0 ? (
        <ol className="mt-2.5 flex list-decimal flex-col gap-1 pl-5 text-[13px] marker:text-muted-foreground">
          {plan.steps.map((step, index) => (
            <li key={index}>{step}</li>
          ))}
        </ol>
      ) : null}

      {decidable && !amending ? (
        <div className="mt-3 flex flex-wrap gap-2">
          <Button size="sm" data-testid="plan-accept" loading={deciding} onClick={() => onDecide({ decision: 'accept' })}>
            {deciding ? null : <Check aria-hidden />}
            Accept plan
          </Button>
          <Button size="sm" variant="outline" data-testid="plan-amend" disabled={deciding} onClick={() => setAmending(true)}>
            <PencilLine aria-hidden />
            Amend
          </Button>
        </div>
      ) : null}

      {decidable && amending ? (
        <form onSubmit={submitAmend} className="mt-3 flex flex-col gap-2">
          <label htmlFor={noteId} className="text-[13px] font-medium">
            What should change?
          </label>
          <Textarea
            id={noteId}
            data-testid="plan-amend-note"
            rows={3}
            autoFocus
            value={note}
            onChange={(event) => setNote(event.target.value)}
            placeholder="e.g. Also track the deal size, and skip the dashboard"
          />
          <div className="flex justify-end gap-2">
            <Button type="button" size="sm" variant="ghost" onClick={() => setAmending(false)} disabled={deciding}>
              Cancel
            </Button>
            <Button type="submit" size="sm" data-testid="plan-amend-submit" loading={deciding} disabled={!note.trim()}>
              Send changes
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
