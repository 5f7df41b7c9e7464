import { describe, expect, it } from '@jest/globals';
import type { Folder, VaultAction } from '@passman/contracts';
import { ancestorIds, buildFolderTree, findNode, folderChoices, folderLabel, subtreeIds, subtreeTotals, treeKey, visibleRows } from './folder-tree';

let seq = 0;
function folder(name: string, parent: Folder | null, extra: { targets?: number; accounts?: number; rights?: VaultAction[] } = {}): Folder {
  seq += 1;
  return {
    id: `id-${name}-${seq}`,
    parentId: parent?.id ?? null,
    name,
    path: parent ? [...parent.path, { id: parent.id, name: parent.name }] : [],
    depth: parent ? parent.depth + 1 : 0,
    counts: { folders: 0, targets: extra.targets ?? 0, accounts: extra.accounts ?? 0 },
    myRights: extra.rights ?? ['view', 'manage'],
    createdAt: '2026-12-07T00:00:00.000Z',
    updatedAt: '2026-12-07T00:00:00.000Z',
  };
}

// Vault › ops › db, Vault › ops › web, Vault › lab (parents first, as the API lists them).
const vault = folder('Vault', null, { accounts: 9 });
const ops = folder('ops', vault, { targets: 1, accounts: 7 });
const lab = folder('lab', vault, { rights: ['view'] });
const db = folder('db', ops, { targets: 2, accounts: 4 });
const web = folder('web', ops, { targets: 3, accounts: 2 });
const items = [vault, lab, ops, db, web];
const root = buildFolderTree(items)!;
const ids = (rows: ReturnType<typeof visibleRows>) => rows.map((r) => r.node.folder.name);

describe('the vault tree', () => {
  it('is built from the flat list, children under their parents in the order listed', () => {
    expect(root.folder.name).toBe('Vault');
    expect(root.children.map((c) => c.folder.name)).toEqual(['lab', 'ops']);
    expect(findNode(root, db.id)?.folder.name).toBe('db');
    expect(buildFolderTree([])).toBeNull();
  });

  it('shows a node’s children only while it is expanded, with levels and positions for assistive technology', () => {
    expect(ids(visibleRows(root, new Set()))).toEqual(['Vault']);
    const rows = visibleRows(root, new Set([vault.id, ops.id]));
    expect(ids(rows)).toEqual(['Vault', 'lab', 'ops', 'db', 'web']);
    expect(rows.map((r) => [r.level, r.position, r.siblings])).toEqual([
      [1, 1, 1],
      [2, 1, 2],
      [2, 2, 2],
      [3, 1, 2],
      [3, 2, 2],
    ]);
  });

  it('answers the keys of the ARIA tree pattern', () => {
    const expanded = new Set([vault.id]);
    const rows = visibleRows(root, expanded);
    expect(treeKey(rows, vault.id, 'ArrowDown', expanded)).toEqual({ focus: lab.id });
    expect(treeKey(rows, ops.id, 'ArrowDown', expanded)).toEqual({ focus: ops.id }); // the last row stays
    expect(treeKey(rows, ops.id, 'ArrowRight', expanded)).toEqual({ expand: ops.id });
    expect(treeKey(rows, lab.id, 'ArrowRight', expanded)).toEqual({ focus: lab.id }); // a leaf
    expect(treeKey(rows, ops.id, 'ArrowLeft', expanded)).toEqual({ focus: vault.id });
    expect(treeKey(rows, vault.id, 'ArrowLeft', expanded)).toEqual({ collapse: vault.id });
    expect(treeKey(rows, ops.id, 'Home', expanded)).toEqual({ focus: vault.id });
    expect(treeKey(rows, vault.id, 'End', expanded)).toEqual({ focus: ops.id });
    expect(treeKey(rows, lab.id, 'Enter', expanded)).toEqual({ select: lab.id });
    expect(treeKey(rows, lab.id, 'a', expanded)).toBeNull();
    const open = new Set([vault.id, ops.id]);
    expect(treeKey(visibleRows(root, open), ops.id, 'ArrowRight', open)).toEqual({ focus: db.id });
    expect(treeKey(visibleRows(root, open), ops.id, 'ArrowLeft', open)).toEqual({ collapse: ops.id });
  });

  it('counts what deleting a folder takes with it', () => {
    expect(subtreeTotals(findNode(root, ops.id)!)).toEqual({ folders: 2, targets: 6, accounts: 7 });
    expect(subtreeTotals(findNode(root, lab.id)!)).toEqual({ folders: 0, targets: 0, accounts: 0 });
    expect([...subtreeIds(findNode(root, ops.id)!)].sort()).toEqual([db.id, ops.id, web.id].sort());
  });

  it('names folders by their path and opens the way to a selected one', () => {
    expect(folderLabel(db)).toBe('Vault / ops / db');
    expect(ancestorIds(items, db.id)).toEqual([vault.id, ops.id]);
    expect(ancestorIds(items, 'gone')).toEqual([]);
    expect(ancestorIds(items, undefined)).toEqual([]);
  });

  it('offers as a new place only folders the caller manages, never the folder itself or below it', () => {
    expect(folderChoices(items, { right: 'manage', exclude: ops.id }).map((c) => c.label)).toEqual(['Vault']);
    expect(folderChoices(items, { right: 'manage' }).map((c) => c.label)).toEqual(['Vault', 'Vault / ops', 'Vault / ops / db', 'Vault / ops / web']);
  });
});
