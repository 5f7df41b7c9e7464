/** Rights in the vault tree: who may see and do what on which folder, target and account. */
export {
  accountAllowedSql,
  createAccessRepo,
  folderAllowedSql,
  targetAllowedSql,
  targetVisibleSql,
  treeRightsSql,
  visibleFolderIdsSql,
  type AccessRepo,
  type ObjectPath,
  type TreeScope,
} from './access.repo.js';
export { createAccessService, type AccessService, type ObjectRef } from './access.service.js';
