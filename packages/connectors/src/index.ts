export { ConnectorError, CONNECTOR_ERROR_CODES, isConnectorError, type ConnectorErrorCode, type ConnectorErrorOptions } from './connector-error.js';
export type {
  AuthorizedKeyRequest,
  AuthorizedKeyResult,
  ChangePasswordRequest,
  ConnectorCapability,
  HostKeyInfo,
  KeyChangeMethod,
  Login,
  LoginCredential,
  ManagedKeyRequest,
  OperationOptions,
  PasswordChangeMethod,
  TargetAddress,
  TargetConnector,
  TargetEndpoint,
  VerifyRequest,
  VerifyResult,
} from './target-connector.js';
export { createSshConnector, type SshConnectorOptions } from './ssh-connector.js';
export { createTargetLimiter, type TargetLimiter, type TargetLimiterOptions } from './target-limiter.js';
export { describeHostKey, fingerprintOfBlob, normalizePins } from './host-key.js';
export { parsePrivateKey, parsePublicKeyLine, type SshKeyType, type PublicKeyLine } from './ssh-keys.js';
export { assertSafeSecret, assertValidUsername } from './validate-input.js';
