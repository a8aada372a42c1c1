import { HammerIcon, LoaderCircleIcon, PlusIcon, StickyNoteIcon, Trash2Icon } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { useToast } from '@/components/ui/toast';
import { appInfo, useCollection } from '@/lib/hangar';

type Note = { _id: string; text: string; createdAt: number };

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** The placeholder screen shown until the builder replaces it with the real app. */
export function App() {
  const { name } = appInfo();
  return (
    <main className="min-h-dvh bg-muted/50 px-4 py-12 sm:py-20">
      <div className="mx-auto flex w-full max-w-xl flex-col gap-6">
        <Card>
          <CardHeader className="gap-4">
            <div className="flex items-center justify-between gap-3">
              <div className="flex size-11 items-center justify-center rounded-xl bg-primary text-primary-foreground shadow-sm">
                <HammerIcon className="size-5" aria-hidden="true" />
              </div>
              <Badge variant="secondary">
                <LoaderCircleIcon className="animate-spin" aria-hidden="true" />
                Building
              </Badge>
            </div>
            <div className="flex flex-col gap-2">
              <h1 className="text-2xl font-semibold tracking-tight">{name}</h1>
              <CardDescription className="text-[15px] leading-relaxed">
                Your app is being built. Hangar’s builder is writing its screens and data model; this page is replaced as soon as the first
                build passes.
              </CardDescription>
            </div>
          </CardHeader>
        </Card>
        <NotesDemo />
      </div>
    </main>
  );
}

/** A tiny live-data demo: every note goes through the Hangar SDK's `useCollection`. */
function NotesDemo() {
  const { data: notes, error, insert, remove } = useCollection<Note>('notes', { sort: { createdAt: -1 } });
  const { toast } = useToast();
  const [text, setText] = useState('');

  function addNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) return;
    insert({ text: trimmed, createdAt: Date.now() }).then(
      () => {
        setText('');
        toast({ title: 'Note added', variant: 'success' });
      },
      (failure: unknown) =>
        toast({
          title: 'Could not add the note',
          description: failure instanceof Error ? failure.message : String(failure),
          variant: 'destructive',
        }),
    );
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Scratchpad</CardTitle>
        <CardDescription>Jot something down while you wait. Notes live in the app’s “notes” collection.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <form onSubmit={addNote} className="flex gap-2">
          <Input
            aria-label="New note"
            placeholder="Write a note…"
            value={text}
            maxLength={200}
            onChange={(event) => setText(event.target.value)}
          />
          <Button type="submit" disabled={!text.trim()}>
            <PlusIcon aria-hidden="true" />
            Add
          </Button>
        </form>
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error.message}
          </p>
        ) : notes.length === 0 ? (
          <EmptyState icon={StickyNoteIcon} title="No notes yet" description="Add one above; it appears here instantly." />
        ) : (
          <ul className="flex flex-col divide-y rounded-lg border">
            {notes.map((note) => (
              <li key={note._id} className="flex items-center gap-3 py-2 pr-2 pl-4">
                <span className="min-w-0 flex-1 truncate text-sm">{note.text}</span>
                <time className="shrink-0 text-xs text-muted-foreground tabular-nums" dateTime={new Date(note.createdAt).toISOString()}>
                  {timeFormat.format(note.createdAt)}
                </time>
                <Button variant="ghost" size="icon-sm" aria-label={`Delete “${note.text}”`} onClick={() => void remove(note._id)}>
                  <Trash2Icon className="text-muted-foreground" />
                </Button>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <CardFooter>
        <p className="text-xs text-muted-foreground">
          {notes.length === 1 ? '1 note' : `${notes.length} notes`} · saved in the app’s live data
        </p>
      </CardFooter>
    </Card>
  );
}
