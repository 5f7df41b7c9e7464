// Provisional shape of an item of `GET /targets` (DESIGN §2). When `@passman/contracts`
// exports the target schemas, this becomes a re-export from there.

export type HostKeyStatus = 'APPROVED' | 'PENDING' | 'REVOKED';

export interface TargetListItem {
  id: string;
  name: string;
  address: string;
  port: number;
  /** State of the pinned host key, when the list presents it. */
  hostKeyStatus?: HostKeyStatus | null;
  /** Approved key fingerprint, `SHA256:…` as `ssh-keygen -l` prints it. */
  hostKeyFingerprint?: string | null;
  accountCount?: number | null;
}

export interface TargetListParams {
  limit?: number;
  q?: string;
  sort?: string;
}
