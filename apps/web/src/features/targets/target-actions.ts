import type { Target } from '@passman/contracts';
import { createContext, use } from 'react';

export type TargetAction = 'accounts' | 'permissions' | 'addAccount' | 'edit' | 'move' | 'hostKey' | 'delete';

export interface TargetActions {
  open: (action: TargetAction, target: Target) => void;
  /** Add a target, in `folderId` when the user may (the folder chosen in the tree). */
  add: (folderId?: string) => void;
}

/** The targets feature shows the menus; the app opens the windows (see `app/target-actions-provider.tsx`). */
export const TargetActionsContext = createContext<TargetActions | null>(null);

export function useTargetActions(): TargetActions {
  const actions = use(TargetActionsContext);
  if (!actions) throw new Error('useTargetActions() outside TargetActionsProvider');
  return actions;
}
