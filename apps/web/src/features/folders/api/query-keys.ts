/** Every query key of the vault tree: invalidate `all` after a change to any folder (counts and paths follow). */
export const folderKeys = {
  all: ['folders'] as const,
  /** The whole tree the caller sees (GET /folders): the panel, the pickers and the Folder column read this one list. */
  tree: () => [...folderKeys.all, 'tree'] as const,
  detail: (id: string) => [...folderKeys.all, 'detail', id] as const,
};
