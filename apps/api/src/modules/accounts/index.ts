/** Target accounts: their list, their fields, the policy they follow. */
export { checkedOutSql, createAccountsRepo, rotationOverdueSql, type AccountsRepo } from './accounts.repo.js';
export { createAccountsService, type AccountsService } from './accounts.service.js';
export { accountBindings } from './accounts.routes.js';
