import { InboxIcon, PlusIcon, SearchIcon, SearchXIcon, TriangleAlertIcon, LayoutListIcon } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { AgentPanel } from '@/components/agent-panel';
import { DeleteRecordDialog } from '@/components/delete-record-dialog';
import { RecordFormDialog } from '@/components/record-form-dialog';
import { RecordTable } from '@/components/record-table';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useToast } from '@/components/ui/toast';
import { useCollection } from '@/lib/hangar';
import {
  displayValue,
  emptyValues,
  matchesSearch,
  titleField,
  toFieldValues,
  valuesOf,
  type AnyRecord,
  type FieldDefinition,
  type FormValues,
} from '@/lib/record-fields';
import { appName, entity, fields, type SampleRecord } from './sample-record-fields';

const allOptions = 'all';
// Widened on purpose: an app without a status field must still typecheck this comparison.
const allFields: readonly FieldDefinition[] = fields;
const statusFields: readonly FieldDefinition[] = allFields.filter((field) => field.kind === 'status');
const title = titleField(fields);
const singularLabel = entity.singular.charAt(0).toUpperCase() + entity.singular.slice(1);

/** The whole app: every record in a searchable, filterable table, with a create/edit form and a delete confirmation. */
export function App() {
  // `canWrite`: the app's access rules, as Hangar evaluates them for this person; readers get no write controls.
  const { data, loading, error, insert, update, remove, hasMore, loadMore, canWrite } = useCollection<SampleRecord>(entity.collection, {
    sort: { createdAt: -1 },
  });
  const { toast } = useToast();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<AnyRecord | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [deleting, setDeleting] = useState<AnyRecord | null>(null);

  useEffect(() => {
    document.title = appName;
  }, []);

  const records: readonly AnyRecord[] = data;
  const visible = useMemo(
    () =>
      records.filter(
        (record) =>
          matchesSearch(fields, record, search) &&
          Object.entries(filters).every(([key, option]) => option === allOptions || record[key] === option),
      ),
    [records, search, filters],
  );
  const filtering = search.trim() !== '' || Object.values(filters).some((option) => option !== allOptions);
  const total = `${data.length}${hasMore ? '+' : ''} ${data.length === 1 && !hasMore ? entity.singular : entity.plural}`;
  // While searching or filtering, say how many of them are shown.
  const count = filtering ? `${visible.length} of ${total}` : total;
  const nameOf = (record: AnyRecord) => (title ? displayValue(title, record[title.key]) : '');

  function openNew() {
    setEditing(null);
    setFormOpen(true);
  }

  function openEdit(record: AnyRecord) {
    setEditing(record);
    setFormOpen(true);
  }

  async function save(values: FormValues) {
    const changes = toFieldValues(fields, values);
    try {
      if (editing) {
        await update(editing._id, changes);
        toast({ title: `${singularLabel} updated`, variant: 'success' });
      } else {
        await insert({ ...changes, createdAt: Date.now() });
        toast({ title: `${singularLabel} added`, variant: 'success' });
      }
      setFormOpen(false);
    } catch (reason) {
      toast({
        title: `Could not save the ${entity.singular}`,
        description: reason instanceof Error ? reason.message : String(reason),
        variant: 'destructive',
      });
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    try {
      await remove(deleting._id);
      toast({ title: `${singularLabel} deleted`, variant: 'success' });
      setDeleting(null);
    } catch (reason) {
      toast({
        title: `Could not delete the ${entity.singular}`,
        description: reason instanceof Error ? reason.message : String(reason),
        variant: 'destructive',
      });
    }
  }

  function clearFilters() {
    setSearch('');
    setFilters({});
  }

  let content;
  if (error) {
    content = <EmptyState className="m-4" icon={TriangleAlertIcon} title={`Could not load ${entity.plural}`} description={error.message} />;
  } else if (loading) {
    content = <p className="px-4 py-10 text-center text-sm text-muted-foreground">Loading {entity.plural}…</p>;
  } else if (data.length === 0) {
    content = (
      <EmptyState
        className="m-4"
        icon={InboxIcon}
        title={`No ${entity.plural} yet`}
        description={
          canWrite
            ? `Add your first ${entity.singular}; everyone using ${appName} sees it right away.`
            : `Nothing has been added yet. New ${entity.plural} show up here as soon as they are.`
        }
        action={
          canWrite ? (
            <Button onClick={openNew}>
              <PlusIcon aria-hidden="true" />
              New {entity.singular}
            </Button>
          ) : undefined
        }
      />
    );
  } else if (visible.length === 0) {
    content = (
      <EmptyState
        className="m-4"
        icon={SearchXIcon}
        title={`No ${entity.plural} match`}
        description="Try another search or clear the filters."
        action={
          <Button variant="outline" onClick={clearFilters}>
            Clear filters
          </Button>
        }
      />
    );
  } else {
    content = canWrite ? (
      <RecordTable fields={fields} records={visible} onEdit={openEdit} onDelete={setDeleting} />
    ) : (
      <RecordTable fields={fields} records={visible} />
    );
  }

  return (
    <div className="min-h-dvh bg-muted/40">
      <header className="border-b bg-background">
        <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-5 sm:px-6">
          <div className="flex min-w-0 items-center gap-3">
            <div className="flex size-10 shrink-0 items-center justify-center rounded-xl bg-primary text-primary-foreground shadow-sm">
              <LayoutListIcon className="size-5" aria-hidden="true" />
            </div>
            <div className="min-w-0">
              <h1 className="truncate text-xl font-semibold tracking-tight">{appName}</h1>
              <p className="text-sm text-muted-foreground">{count}</p>
            </div>
          </div>
          {canWrite ? (
            <Button onClick={openNew}>
              <PlusIcon aria-hidden="true" />
              New {entity.singular}
            </Button>
          ) : (
            !loading && (
              <span className="rounded-md border bg-muted px-2.5 py-1 text-xs text-muted-foreground" data-testid="view-only">
                View only
              </span>
            )
          )}
        </div>
      </header>

      <main className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-6 sm:px-6">
        <AgentPanel records={records} nameOf={nameOf} noun={entity.singular} />
        <Card className="gap-0 overflow-hidden py-0">
          <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center">
            <div className="relative flex-1">
              <SearchIcon
                className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
                aria-hidden="true"
              />
              <Input
                type="search"
                className="pl-9"
                placeholder={`Search ${entity.plural}…`}
                aria-label={`Search ${entity.plural}`}
                value={search}
                onChange={(event) => setSearch(event.target.value)}
              />
            </div>
            {statusFields.map((field) => (
              <Select
                key={field.key}
                value={filters[field.key] ?? allOptions}
                onValueChange={(option) => setFilters((current) => ({ ...current, [field.key]: option }))}
              >
                <SelectTrigger className="sm:w-44" aria-label={`Filter by ${field.label.toLowerCase()}`}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value={allOptions}>Any {field.label.toLowerCase()}</SelectItem>
                  {(field.options ?? []).map((option) => (
                    <SelectItem key={option} value={option}>
                      {option}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            ))}
          </div>
          {content}
          {hasMore && (
            <div className="border-t p-3 text-center">
              <Button variant="ghost" size="sm" onClick={loadMore}>
                Show more
              </Button>
            </div>
          )}
        </Card>
      </main>

      <RecordFormDialog
        open={formOpen && canWrite}
        onOpenChange={setFormOpen}
        fields={fields}
        title={editing ? `Edit ${entity.singular}` : `New ${entity.singular}`}
        description={editing ? `Change the details of “${nameOf(editing)}”.` : `Fill in the details of the new ${entity.singular}.`}
        submitLabel={editing ? 'Save changes' : `Add ${entity.singular}`}
        initialValues={editing ? valuesOf(fields, editing) : emptyValues(fields)}
        onSubmit={save}
      />
      <DeleteRecordDialog
        open={deleting !== null && canWrite}
        onOpenChange={(open) => !open && setDeleting(null)}
        noun={entity.singular}
        name={deleting ? nameOf(deleting) : ''}
        onConfirm={confirmDelete}
      />
    </div>
  );
}
