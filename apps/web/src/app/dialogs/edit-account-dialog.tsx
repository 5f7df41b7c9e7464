import type { Account, Target } from '@passman/contracts';
import { AccountFormDialog } from '@/features/accounts/components/account-form-dialog';
import { usePolicies } from '@/features/policies/api/get-policies';
import { useTargets } from '@/features/targets/api/get-targets';

/** Edit an account (its policy select comes from the policies feature). */
export function EditAccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const policies = usePolicies();
  return <AccountFormDialog account={account} policies={policies.data} onClose={onClose} />;
}

/**
 * Add an account: to a given target (from its window or menu), or to one chosen in the form among
 * the targets the user manages (in the folder chosen in the tree, when there is one).
 */
export function AddAccountDialog({ target, folderId, onClose }: { target?: Target | undefined; folderId?: string | undefined; onClose: () => void }) {
  const policies = usePolicies();
  const targets = useTargets({ folderId, limit: 200, sort: 'name' });
  const managed = targets.data?.items.filter((x) => x.myRights.includes('manage'));
  return <AccountFormDialog target={target} targets={managed} policies={policies.data} onClose={onClose} />;
}
