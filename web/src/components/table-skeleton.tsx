import { Skeleton } from './ui/skeleton';

/** Placeholder rows for a table that is loading. */
export function TableSkeleton({ rows = 5, columns = 4 }: { rows?: number; columns?: number }) {
  return (
    <div className="flex flex-col divide-y" aria-busy aria-label="Loading">
      {Array.from({ length: rows }, (_, row) => (
        <div key={row} className="flex items-center gap-6 px-4 py-3.5">
          {Array.from({ length: columns }, (_, column) => (
            <Skeleton key={column} className={column === 0 ? 'h-4 w-40' : 'h-4 flex-1'} />
          ))}
        </div>
      ))}
    </div>
  );
}
