/** What PassMan can do to a target through a connector: verify a login, change a password, install or remove a key, read the host key. */
export type ConnectorCapability = 'verify' | 'changePassword' | 'installKey' | 'removeKey' | 'scanHostKey';

/** Where a target is and which host keys it may present. */
export interface TargetEndpoint {
  host: string;
  /** Default 22. */
  port?: number;
  /**
   * Pinned host-key fingerprints, 'SHA256:<base64>' as `ssh-keygen -l` prints them. A
   * credential is only ever sent after the presented key matched one of them.
   */
  hostKeyPins: readonly string[];
}

/** The address part of a target, for scanning its host key before anything is pinned. */
export type TargetAddress = Pick<TargetEndpoint, 'host' | 'port'>;

export type LoginCredential =
  | { type: 'password'; password: string }
  /** OpenSSH ("BEGIN OPENSSH PRIVATE KEY") or PEM private key of type rsa, ecdsa-p256, ed25519 or dsa. */
  | { type: 'key'; privateKey: string; passphrase?: string };

export interface Login {
  username: string;
  credential: LoginCredential;
}

export interface HostKeyInfo {
  /** e.g. 'ssh-ed25519' */
  algorithm: string;
  /** "<algorithm> <base64>" (known_hosts form). */
  publicKey: string;
  /** 'SHA256:<unpadded base64>' */
  fingerprint: string;
}

export interface OperationOptions {
  /** Aborts the operation (CANCELLED); a change already sent is reported with outcomeUnknown. */
  signal?: AbortSignal;
  /** Overrides the connector's per-operation deadline for this call. */
  deadlineMs?: number;
  /**
   * Called the moment a change (new password, authorized_keys script) has been written to the
   * target: from here on a failure leaves the outcome unknown. Crash tests hook in here.
   */
  onChangeSent?: () => void;
}

/** How a password gets changed on the target. */
export type PasswordChangeMethod =
  /** The account itself runs `passwd`, fed current and new password on stdin. */
  | { method: 'self'; currentPassword: string }
  /** A managing account runs `sudo chpasswd`; sudoPassword is needed unless sudoers says NOPASSWD. */
  | { method: 'sudo'; login: Login; sudoPassword?: string }
  /** A managing account with uid 0 runs `chpasswd` directly. */
  | { method: 'root'; login: Login };

export interface ChangePasswordRequest {
  target: TargetEndpoint;
  username: string;
  newPassword: string;
  via: PasswordChangeMethod;
}

/** Key operations run as the account itself, logged in with a credential that works. */
export interface AuthorizedKeyRequest {
  target: TargetEndpoint;
  login: Login;
  /** authorized_keys form: "<type> <base64> [comment]" (no options). */
  publicKey: string;
}

/** How a managing account changes another account's authorized_keys: as that user, so ownership and modes stay the user's. */
export type KeyChangeMethod =
  /** `sudo -H -u <user> /bin/sh -s`; sudoPassword is needed unless sudoers says NOPASSWD. */
  | { method: 'sudo'; login: Login; sudoPassword?: string }
  /** A managing account with uid 0 runs `su -s /bin/sh <user>`. */
  | { method: 'root'; login: Login };

/** Key operations done for an account by the target's managing account (the account's own credentials no longer work). */
export interface ManagedKeyRequest {
  target: TargetEndpoint;
  /** The account whose authorized_keys changes. */
  username: string;
  /** authorized_keys form: "<type> <base64> [comment]" (no options). */
  publicKey: string;
  via: KeyChangeMethod;
}

export interface AuthorizedKeyResult {
  /** False when the file already was as asked (idempotent repeat). */
  changed: boolean;
}

export interface VerifyRequest {
  target: TargetEndpoint;
  login: Login;
}

export interface VerifyResult {
  hostKey: HostKeyInfo;
}

/**
 * A way to reach and change accounts on targets. Every method throws ConnectorError on
 * failure; nothing is retried inside, the caller decides using `retryable`.
 */
export interface TargetConnector {
  readonly kind: string;
  readonly capabilities: ReadonlySet<ConnectorCapability>;
  /** The host key the target offers; no credential is sent. */
  scanHostKey(target: TargetAddress, options?: OperationOptions): Promise<HostKeyInfo>;
  /** Logs in with the credential and logs out: proves it works. */
  verify(request: VerifyRequest, options?: OperationOptions): Promise<VerifyResult>;
  changePassword(request: ChangePasswordRequest, options?: OperationOptions): Promise<void>;
  installKey(request: AuthorizedKeyRequest | ManagedKeyRequest, options?: OperationOptions): Promise<AuthorizedKeyResult>;
  removeKey(request: AuthorizedKeyRequest | ManagedKeyRequest, options?: OperationOptions): Promise<AuthorizedKeyResult>;
}
