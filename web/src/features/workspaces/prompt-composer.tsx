import { ArrowUp, Sparkles } from 'lucide-react';
import { Button } from '../../components/ui/button';
import { Card } from '../../components/ui/card';

/**
 * Where builders will describe an app. Shown, but switched off, until the builder ships, so the
 * workspace home already reads the way it will work.
 */
export function PromptComposer() {
  return (
    <Card className="overflow-hidden">
      <div className="flex items-center gap-2 border-b bg-muted/40 px-5 py-3">
        <Sparkles className="size-4 text-primary" aria-hidden />
        <h2 className="text-sm font-semibold">Build an app</h2>
      </div>
      <div className="px-5 pt-4 pb-3">
        <label htmlFor="prompt-composer" className="sr-only">
          Describe the app you need
        </label>
        <textarea
          id="prompt-composer"
          data-testid="prompt-composer"
          disabled
          rows={3}
          aria-describedby="prompt-composer-note"
          placeholder="Describe the app you need… e.g. “A vendor onboarding tracker with an approval step for finance”"
          className="w-full resize-none bg-transparent text-sm outline-none placeholder:text-muted-foreground/80 disabled:cursor-not-allowed"
        />
      </div>
      <div className="flex items-center justify-between gap-4 px-5 pb-4">
        <p id="prompt-composer-note" className="text-[13px] text-muted-foreground">
          The app builder is not switched on in this build yet — members, roles and the audit log are ready now.
        </p>
        <Button size="icon-sm" disabled aria-label="Build app">
          <ArrowUp aria-hidden />
        </Button>
      </div>
    </Card>
  );
}
