import { Database } from 'lucide-react';
import type { DataCollection } from '../../lib/data-api';
import { cn } from '../../lib/utils';

type CollectionListProps = { collections: DataCollection[]; selected: string | null; onSelect: (name: string) => void };

/** The collections of a scope with their document counts. */
export function CollectionList({ collections, selected, onSelect }: CollectionListProps) {
  return (
    <nav aria-label="Collections" className="flex flex-col gap-0.5 p-2">
      <p className="px-2 pt-1 pb-1.5 text-[11px] font-medium tracking-wide text-muted-foreground uppercase">Collections</p>
      {collections.map((collection) => (
        <button
          key={collection.name}
          type="button"
          aria-current={selected === collection.name ? 'true' : undefined}
          data-testid={`data-collection-${collection.name}`}
          onClick={() => onSelect(collection.name)}
          className={cn(
            'flex items-center gap-2 rounded-md px-2 py-1.5 text-left text-[13px] outline-none transition-colors hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring',
            selected === collection.name && 'bg-muted font-medium',
          )}
        >
          <Database className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
          <span className="min-w-0 flex-1 truncate font-mono text-xs">{collection.name}</span>
          <span className="text-xs text-muted-foreground tabular-nums">{collection.count.toLocaleString()}</span>
        </button>
      ))}
    </nav>
  );
}
