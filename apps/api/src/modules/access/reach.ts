import { VAULT_ACTIONS, type VaultAction } from '@passman/contracts';

/** The objects one user's grants (their own and their groups') name for one action and effect, folders expanded to everything below them. */
export interface ReachIds {
  folders: string[];
  targets: string[];
  accounts: string[];
}

/** One row of the query that loads a reach: the ids one level of grants names for an action and effect. */
export interface ReachRow {
  action: VaultAction;
  effect: 'ALLOW' | 'DENY';
  level: 'folder' | 'target' | 'account';
  ids: string[];
}

/** Where an object sits, as far as rights go: its folder, and its target and id when it is an account. */
export interface ReachPath {
  folderId: string;
  targetId?: string | null;
  accountId?: string | null;
}

/**
 * Everything one user's grants reach, read once for a request: a list filters on these ids
 * (constant arrays the planner hashes, instead of sub-selects over grants it plans and runs per
 * query) and gives each row its rights without a query per row. The rule is the tree's — an
 * action is allowed where a grant on the object or above it allows it and none there denies
 * it — the same that access.repo.ts writes in SQL for single objects; the property test
 * compares both with a reference model.
 */
export interface Reach {
  ids(action: VaultAction, effect: 'ALLOW' | 'DENY'): ReachIds;
  /** The actions allowed on the object at `path`, DENY winning. */
  rightsOf(path: ReachPath): VaultAction[];
  /** How many object ids it holds, over all actions and effects (what keeping it costs). */
  readonly size: number;
}

const LEVEL_KEY = { folder: 'folders', target: 'targets', account: 'accounts' } as const;
const EMPTY: ReachIds = Object.freeze({ folders: [], targets: [], accounts: [] }) as ReachIds;

export function createReach(rows: readonly ReachRow[]): Reach {
  const byKey = new Map<string, ReachIds>();
  // For rightsOf: per object id, the actions granted and denied on it (ids are UUIDs, unique across levels).
  const allowed = new Map<string, Set<VaultAction>>();
  const denied = new Map<string, Set<VaultAction>>();
  let size = 0;
  for (const row of rows) {
    size += row.ids.length;
    const key = `${row.action}:${row.effect}`;
    const ids = byKey.get(key) ?? { folders: [], targets: [], accounts: [] };
    ids[LEVEL_KEY[row.level]].push(...row.ids);
    byKey.set(key, ids);
    const into = row.effect === 'ALLOW' ? allowed : denied;
    for (const id of row.ids) {
      const actions = into.get(id) ?? new Set<VaultAction>();
      actions.add(row.action);
      into.set(id, actions);
    }
  }
  return {
    size,
    ids: (action, effect) => byKey.get(`${action}:${effect}`) ?? EMPTY,
    rightsOf(path) {
      const on = [path.folderId, path.targetId, path.accountId].filter((id): id is string => !!id);
      const has = (map: Map<string, Set<VaultAction>>, action: VaultAction) => on.some((id) => map.get(id)?.has(action));
      return VAULT_ACTIONS.filter((action) => has(allowed, action) && !has(denied, action));
    },
  };
}
