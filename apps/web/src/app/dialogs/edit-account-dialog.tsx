import type { Account, Target } from '@passman/contracts';
import { AccountFormDialog } from '@/features/accounts/components/account-form-dialog';
import { usePolicies } from '@/features/policies/api/get-policies';
import { useTargets } from '@/features/targets/api/get-targets';

/** Edit an account (its policy select comes from the policies feature). */
export function EditAccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const policies = usePolicies();
  return <AccountFormDialog account={account} policies={policies.data} onClose={onClose} />;
}

/** Add an account: to a given target (from its window or menu), or to one chosen in the form. */
export function AddAccountDialog({ target, onClose }: { target?: Target | undefined; onClose: () => void }) {
  const policies = usePolicies();
  const targets = useTargets({ limit: 200, sort: 'name' });
  return <AccountFormDialog target={target} targets={targets.data?.items} policies={policies.data} onClose={onClose} />;
}
