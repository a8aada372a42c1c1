import type { AppDocument } from '@hangar/protocol';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDateTime } from '../../lib/format';
import { cn } from '../../lib/utils';
import { formatCell } from './data-format';

type DocumentsTableProps = { rows: AppDocument[]; columns: string[]; onOpen: (document: AppDocument) => void };

function cellText(column: string, value: unknown): string {
  if ((column === '_createdAt' || column === '_updatedAt') && typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return formatDateTime(value);
  }
  return formatCell(value);
}

/** The loaded documents, one per row; a row opens the document. */
export function DocumentsTable({ rows, columns, onOpen }: DocumentsTableProps) {
  return (
    <Table data-testid="data-table" className="text-[13px]">
      <TableHeader className="sticky top-0 z-10 bg-card">
        <TableRow>
          {columns.map((column) => (
            <TableHead key={column} className={cn('px-3 font-mono', column.startsWith('_') && 'text-muted-foreground/80')}>
              {column}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow
            key={row._id}
            data-testid="data-row"
            data-id={row._id}
            tabIndex={0}
            aria-label={`Open document ${row._id}`}
            className="cursor-pointer outline-none focus-visible:bg-muted"
            onClick={() => onOpen(row)}
            onKeyDown={(event) => {
              if (event.key !== 'Enter' && event.key !== ' ') return;
              event.preventDefault();
              onOpen(row);
            }}
          >
            {columns.map((column) => {
              const value = row[column];
              return (
                <TableCell
                  key={column}
                  title={value === undefined ? undefined : formatCell(value, 400)}
                  className={cn(
                    'max-w-[16rem] truncate px-3 py-2 whitespace-nowrap',
                    column === '_id' && 'font-mono text-xs',
                    (typeof value !== 'string' || column.startsWith('_')) && 'text-muted-foreground',
                    typeof value === 'number' && 'text-foreground tabular-nums',
                  )}
                >
                  {value === undefined ? <span className="text-muted-foreground/50">—</span> : cellText(column, value)}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
