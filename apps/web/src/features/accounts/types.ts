// Provisional shape of an item of `GET /accounts` (DESIGN §2). When
// `@passman/contracts` exports the account schemas, this becomes a re-export from there.

export type AccountStatus = 'InSync' | 'NotInSync' | 'Unknown';
export type PolicyCompliance = 'Compliant' | 'Noncompliant';

export interface AccountListItem {
  id: string;
  username: string;
  targetId: string;
  target?: { id: string; name: string } | null;
  status: AccountStatus;
  statusReason?: string | null;
  lastCheckedAt?: string | null;
  lastChangedAt?: string | null;
  compliance?: PolicyCompliance | null;
}

export interface AccountListParams {
  limit?: number;
  q?: string;
  status?: AccountStatus;
  sort?: string;
}
