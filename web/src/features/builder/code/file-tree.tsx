import { ChevronRight, File, Folder, FolderOpen } from 'lucide-react';
import { cn } from '../../../lib/utils';
import type { TreeNode } from './file-tree-model';

type FileTreeProps = {
  nodes: TreeNode[];
  open: Set<string>;
  selected: string | null;
  onToggle: (path: string) => void;
  onSelect: (path: string) => void;
  depth?: number;
};

const rowClass =
  'flex w-full items-center gap-1.5 rounded-md py-1 pr-2 text-left text-[13px] outline-none transition-colors hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring';

/** The files of a version as a tree; folders expand and collapse, a file opens in the viewer. */
export function FileTree({ nodes, open, selected, onToggle, onSelect, depth = 0 }: FileTreeProps) {
  return (
    <ul role={depth === 0 ? 'tree' : 'group'} aria-label={depth === 0 ? 'Files' : undefined} className="flex flex-col">
      {nodes.map((node) => {
        const indent = { paddingLeft: `${depth * 12 + 6}px` };
        if (node.kind === 'file') {
          return (
            <li key={node.path} role="treeitem" aria-selected={selected === node.path}>
              <button
                type="button"
                data-testid="file-tree-item"
                data-path={node.path}
                style={indent}
                onClick={() => onSelect(node.path)}
                className={cn(rowClass, selected === node.path && 'bg-accent text-accent-foreground hover:bg-accent')}
              >
                <span className="size-3.5 shrink-0" />
                <File className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
                <span className="truncate">{node.name}</span>
              </button>
            </li>
          );
        }
        const isOpen = open.has(node.path);
        return (
          <li key={node.path} role="treeitem" aria-expanded={isOpen} aria-selected={false}>
            <button type="button" style={indent} onClick={() => onToggle(node.path)} className={rowClass}>
              <ChevronRight
                className={cn('size-3.5 shrink-0 text-muted-foreground transition-transform', isOpen && 'rotate-90')}
                aria-hidden
              />
              {isOpen ? (
                <FolderOpen className="size-3.5 shrink-0 text-primary/80" aria-hidden />
              ) : (
                <Folder className="size-3.5 shrink-0 text-primary/80" aria-hidden />
              )}
              <span className="truncate">{node.name}</span>
            </button>
            {isOpen ? (
              <FileTree nodes={node.children} open={open} selected={selected} onToggle={onToggle} onSelect={onSelect} depth={depth + 1} />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
