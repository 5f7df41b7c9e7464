import type { Folder, VaultAction } from '@passman/contracts';

/*
 * The vault tree as the console draws it, built from the flat list GET /folders returns (parents
 * before children, siblings by name). Pure functions, so the tree's keyboard rules and the
 * pickers' choices are tested without a browser.
 */

export interface FolderNode {
  folder: Folder;
  children: FolderNode[];
}

/** The tree under the root (the Vault); null when the caller sees no folder at all. */
export function buildFolderTree(items: readonly Folder[]): FolderNode | null {
  const nodes = new Map<string, FolderNode>();
  let root: FolderNode | null = null;
  for (const folder of items) nodes.set(folder.id, { folder, children: [] });
  for (const folder of items) {
    const node = nodes.get(folder.id)!;
    if (folder.parentId === null) root = node;
    else nodes.get(folder.parentId)?.children.push(node);
  }
  return root;
}

/** One line of the tree as shown: the node, its level (the root is 1) and its place among its siblings. */
export interface TreeRow {
  node: FolderNode;
  level: number;
  parentId: string | null;
  position: number;
  siblings: number;
}

/** The rows on screen, top to bottom: a node's children only while it is expanded. */
export function visibleRows(root: FolderNode | null, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: FolderNode, level: number, parentId: string | null, position: number, siblings: number): void => {
    rows.push({ node, level, parentId, position, siblings });
    if (!expanded.has(node.folder.id)) return;
    node.children.forEach((child, index) => walk(child, level + 1, node.folder.id, index + 1, node.children.length));
  };
  if (root) walk(root, 1, null, 1, 1);
  return rows;
}

export type TreeKeyResult = { focus: string } | { expand: string } | { collapse: string } | { select: string } | null;

/**
 * What a key does on the focused row (the ARIA tree pattern): Up/Down move, Right opens a closed
 * node or goes to its first child, Left closes an open node or goes to its parent, Home/End jump,
 * Enter and Space select. Null: the key is not the tree's.
 */
export function treeKey(rows: readonly TreeRow[], focusedId: string, key: string, expanded: ReadonlySet<string>): TreeKeyResult {
  const index = rows.findIndex((row) => row.node.folder.id === focusedId);
  const row = rows[index];
  if (!row) return null;
  const hasChildren = row.node.children.length > 0;
  const idAt = (i: number) => rows[i]?.node.folder.id;
  switch (key) {
    case 'ArrowDown': {
      const next = idAt(index + 1);
      return next ? { focus: next } : { focus: focusedId };
    }
    case 'ArrowUp': {
      const previous = idAt(index - 1);
      return previous ? { focus: previous } : { focus: focusedId };
    }
    case 'ArrowRight':
      if (!hasChildren) return { focus: focusedId };
      return expanded.has(focusedId) ? { focus: row.node.children[0]!.folder.id } : { expand: focusedId };
    case 'ArrowLeft':
      if (hasChildren && expanded.has(focusedId)) return { collapse: focusedId };
      return { focus: row.parentId ?? focusedId };
    case 'Home':
      return { focus: idAt(0)! };
    case 'End':
      return { focus: idAt(rows.length - 1)! };
    case 'Enter':
    case ' ':
      return { select: focusedId };
    default:
      return null;
  }
}

/** The ids of the folder and every folder below it. */
export function subtreeIds(node: FolderNode): Set<string> {
  const ids = new Set<string>();
  const walk = (n: FolderNode): void => {
    ids.add(n.folder.id);
    n.children.forEach(walk);
  };
  walk(node);
  return ids;
}

export function findNode(root: FolderNode | null, id: string): FolderNode | null {
  if (!root) return null;
  if (root.folder.id === id) return root;
  for (const child of root.children) {
    const found = findNode(child, id);
    if (found) return found;
  }
  return null;
}

/**
 * What deleting the folder with `content=delete` takes with it, as far as the caller sees: the
 * folders below it, the targets in it and below it, and the accounts below it.
 */
export function subtreeTotals(node: FolderNode): { folders: number; targets: number; accounts: number } {
  let folders = -1;
  let targets = 0;
  const walk = (n: FolderNode): void => {
    folders += 1;
    targets += n.folder.counts.targets;
    n.children.forEach(walk);
  };
  walk(node);
  return { folders, targets, accounts: node.folder.counts.accounts };
}

/** "Vault / ops / db": the folder's path from the root, itself included. */
export function folderLabel(folder: Pick<Folder, 'name' | 'path'>): string {
  return [...folder.path.map((p) => p.name), folder.name].join(' / ');
}

/** The folders to open so that `id` shows: its ancestors (from the list, so a stale id opens nothing). */
export function ancestorIds(items: readonly Folder[], id: string | undefined): string[] {
  if (!id) return [];
  const folder = items.find((f) => f.id === id);
  return folder ? folder.path.map((p) => p.id) : [];
}

export interface FolderChoice {
  value: string;
  label: string;
}

/**
 * The folders a picker offers: those where the caller holds `right` (a new parent or a target's
 * folder needs manage), leaving out `exclude` and everything below it (a folder cannot move into itself).
 */
export function folderChoices(items: readonly Folder[], { right, exclude }: { right: VaultAction; exclude?: string | undefined }): FolderChoice[] {
  return items
    .filter((f) => f.myRights.includes(right))
    .filter((f) => !exclude || (f.id !== exclude && !f.path.some((p) => p.id === exclude)))
    .map((f) => ({ value: f.id, label: folderLabel(f) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
