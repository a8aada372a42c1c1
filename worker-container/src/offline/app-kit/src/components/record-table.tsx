import { CheckIcon, PencilIcon, Trash2Icon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { displayValue, isPastDate, otherValues, statusTone, titleField, type AnyRecord, type FieldDefinition } from '@/lib/record-fields';
import { cn } from '@/lib/utils';

export type RecordTableProps = {
  fields: readonly FieldDefinition[];
  records: readonly AnyRecord[];
  /** Edit and delete per row; without them (a person who may not change the records) there is no actions column. */
  onEdit?: (record: AnyRecord) => void;
  onDelete?: (record: AnyRecord) => void;
};

/**
 * The records as a table: one column per field, long text and values others wrote (an app agent's
 * results) under the title, edit and delete per row (always in view).
 */
export function RecordTable({ fields, records, onEdit, onDelete }: RecordTableProps) {
  const actions = onEdit !== undefined || onDelete !== undefined;
  const title = titleField(fields);
  const note = fields.find((field) => field.kind === 'longtext');
  const columns = fields.filter((field) => field !== title && field.kind !== 'longtext');
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          {title && <TableHead className="pl-4">{title.label}</TableHead>}
          {columns.map((field) => (
            <TableHead key={field.key} className={cn(isNumeric(field) && 'text-right')}>
              {field.label}
            </TableHead>
          ))}
          {actions && (
            <TableHead className={cn('w-24 pr-4 text-right', stickyActions)}>
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {records.map((record) => {
          const name = title ? displayValue(title, record[title.key]) : '';
          const noteText = note ? displayValue(note, record[note.key]) : '';
          const others = otherValues(record, fields);
          return (
            <TableRow key={record._id} className="group">
              {title && (
                <TableCell className="max-w-72 pl-4">
                  <div className="truncate font-medium">{name || <span className="text-muted-foreground">Untitled</span>}</div>
                  {noteText && <div className="truncate text-xs text-muted-foreground">{noteText}</div>}
                  {others.map((other) => (
                    <div key={other.key} className="truncate text-xs text-muted-foreground" title={`${other.label}: ${other.text}`}>
                      <span className="font-medium text-foreground/80">{other.label}:</span> {other.text}
                    </div>
                  ))}
                </TableCell>
              )}
              {columns.map((field) => (
                <TableCell key={field.key} className={cn('whitespace-nowrap', isNumeric(field) && 'text-right tabular-nums')}>
                  <FieldValue field={field} value={record[field.key]} />
                </TableCell>
              ))}
              {actions && (
                <TableCell className={cn('pr-4 text-right whitespace-nowrap group-hover:bg-muted', stickyActions)}>
                  {onEdit && (
                    <Button variant="ghost" size="icon-sm" aria-label={`Edit ${name || 'record'}`} onClick={() => onEdit(record)}>
                      <PencilIcon className="text-muted-foreground" />
                    </Button>
                  )}
                  {onDelete && (
                    <Button variant="ghost" size="icon-sm" aria-label={`Delete ${name || 'record'}`} onClick={() => onDelete(record)}>
                      <Trash2Icon className="text-muted-foreground" />
                    </Button>
                  )}
                </TableCell>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/**
 * The actions column stays pinned to the right edge while the other columns scroll sideways, so
 * edit and delete are in reach however narrow the preview pane is.
 */
const stickyActions = 'sticky right-0 z-10 bg-card shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.12)]';

function isNumeric(field: FieldDefinition): boolean {
  return field.kind === 'number' || field.kind === 'money';
}

const linkClass = 'text-foreground underline decoration-muted-foreground/40 underline-offset-4 hover:decoration-foreground';

/** One cell's content, by field kind. */
function FieldValue({ field, value }: { field: FieldDefinition; value: unknown }) {
  const text = displayValue(field, value);
  if (field.kind === 'boolean') {
    return value === true ? (
      <CheckIcon className="size-4 text-success" aria-label="Yes" />
    ) : (
      <span className="text-muted-foreground" aria-label="No">
        –
      </span>
    );
  }
  if (text === '') return <span className="text-muted-foreground">—</span>;
  switch (field.kind) {
    case 'status':
      return <Badge variant={statusTone(text, field.options)}>{text}</Badge>;
    case 'email':
      return (
        <a className={linkClass} href={`mailto:${text}`}>
          {text}
        </a>
      );
    case 'phone':
      return (
        <a className={linkClass} href={`tel:${text.replace(/[^\d+]/g, '')}`}>
          {text}
        </a>
      );
    case 'url':
      return (
        <a className={linkClass} href={String(value)} target="_blank" rel="noreferrer">
          {text}
        </a>
      );
    case 'date': {
      const overdue = /due|deadline|next|follow/i.test(field.label) && isPastDate(value);
      return <span className={cn('tabular-nums', overdue && 'font-medium text-destructive')}>{text}</span>;
    }
    default:
      return <span className="inline-block max-w-56 truncate align-bottom">{text}</span>;
  }
}
