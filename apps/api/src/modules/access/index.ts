/** Rights in the vault tree: who may see and do what on which folder, target and account. */
export {
  ACCESS_EPOCH_SQL,
  accountAllowedSql,
  createAccessRepo,
  folderAllowedSql,
  rightsOfRows,
  targetAllowedSql,
  targetVisibleSql,
  treeRightsSql,
  visibleFolderIdsSql,
  type AccessRepo,
  type AtAccessEpoch,
  type ObjectPath,
  type TreeScope,
} from './access.repo.js';
export { createReach, type Reach, type ReachRow } from './reach.js';
export { createAccessService, type AccessService, type ObjectRef } from './access.service.js';
