import type { VersionFile } from '@hangar/protocol';

export type TreeNode =
  { kind: 'directory'; name: string; path: string; children: TreeNode[] } | { kind: 'file'; name: string; path: string; size: number };

/** Root folders in the order a builder reads them: sources first, build output last. */
const rootOrder = (name: string) => (name === 'src' ? 0 : name === 'dist' ? 2 : 1);

function sortNodes(nodes: TreeNode[], atRoot: boolean): TreeNode[] {
  nodes.sort((a, b) => {
    if (atRoot && rootOrder(a.name) !== rootOrder(b.name)) return rootOrder(a.name) - rootOrder(b.name);
    if (a.kind !== b.kind) return a.kind === 'directory' ? -1 : 1;
    return a.name.localeCompare(b.name);
  });
  for (const node of nodes) if (node.kind === 'directory') sortNodes(node.children, false);
  return nodes;
}

/** Folds flat paths (`src/components/Form.tsx`) into a sorted tree of folders and files. */
export function buildFileTree(files: readonly VersionFile[]): TreeNode[] {
  const root: TreeNode[] = [];
  const directories = new Map<string, TreeNode[]>([['', root]]);

  const directory = (path: string): TreeNode[] => {
    const existing = directories.get(path);
    if (existing) return existing;
    const cut = path.lastIndexOf('/');
    const parent = directory(cut < 0 ? '' : path.slice(0, cut));
    const children: TreeNode[] = [];
    parent.push({ kind: 'directory', name: path.slice(cut + 1), path, children });
    directories.set(path, children);
    return children;
  };

  for (const file of files) {
    const cut = file.path.lastIndexOf('/');
    directory(cut < 0 ? '' : file.path.slice(0, cut)).push({
      kind: 'file',
      name: file.path.slice(cut + 1),
      path: file.path,
      size: file.size,
    });
  }
  return sortNodes(root, true);
}

/** Folders open at first: everything except build output and dependencies. */
export function initiallyOpen(files: readonly VersionFile[]): Set<string> {
  const open = new Set<string>();
  for (const file of files) {
    const parts = file.path.split('/').slice(0, -1);
    if (parts[0] === 'dist' || parts.includes('node_modules')) continue;
    parts.forEach((_, index) => open.add(parts.slice(0, index + 1).join('/')));
  }
  return open;
}

/** The file to show first: the app's main component when there is one. */
export function defaultFile(files: readonly VersionFile[]): string | null {
  const preferred = ['src/App.tsx', 'src/app.tsx', 'src/main.tsx'];
  for (const path of preferred) if (files.some((file) => file.path === path)) return path;
  return files.find((file) => file.path.startsWith('src/'))?.path ?? files[0]?.path ?? null;
}
