/** Status reasons and job error codes (`reason.<CODE>`), as the API and connectors send them. */
export const reasons = {
  'reason.AUTH_REJECTED': 'The target refused the stored credential.',
  'reason.UNREACHABLE': 'The target cannot be reached.',
  'reason.TIMEOUT': 'The target did not answer in time.',
  'reason.HOST_KEY_MISMATCH':
    'The target’s host key is not the approved one. It may have been reinstalled, or someone may be in between: check it before approving a new key.',
  'reason.HOST_KEY_UNPINNED': 'The target’s host key is not approved yet. Approve it on the Targets tab.',
  'reason.SSH_DIR_OWNERSHIP': 'The user’s .ssh directory does not belong to the user (it belongs to another user, for example root), so sshd refuses the key.',
  'reason.COMMAND_FAILED': 'The command on the target failed.',
  'reason.SUDO_REJECTED':
    'sudo on the target refused the managing account (a wrong sudo password, or no sudoers rule for chpasswd or for installing keys as the user).',
  'reason.OUTCOME_UNKNOWN':
    'PassMan could not find out which secret the target holds: neither the new nor the previous one logs in, or the target could not be reached for too long. Both are kept until someone confirms which one the target holds (Settle… on the account).',
  'reason.TARGET_KEPT_PREVIOUS': 'Someone confirmed that the target kept the previous secret; the new one was discarded.',
  'reason.RESET_IN_PROGRESS': 'Another reset of this account was in progress.',
  'reason.WOULD_LOSE_SYNC': 'The account became InSync before the reset was stored; a vault-only reset of an InSync account needs your confirmation.',
  'reason.NO_LOGIN': 'The account has no credential to log in with and the target has no managing account.',
  'reason.VERIFY_FAILED': 'The target accepted the change but not the new secret; the previous one still works and stays current.',
  'reason.OLD_KEY_NOT_REMOVED': 'The new key is in place, but the old one could not be removed from authorized_keys.',
  'reason.PROTOCOL_ERROR': 'The SSH connection broke down.',
  'reason.CANCELLED': 'The job was cancelled.',
  'reason.THROTTLED': 'Too many connections to this target right now. It will be retried.',
  'reason.INVALID_SECRET': 'The target does not accept this secret.',
  'reason.INVALID_USERNAME': 'The account name cannot be used on the target.',
  'reason.UNSUPPORTED_KEY_TYPE': 'The target does not accept this SSH key type.',
  'reason.NO_CREDENTIAL': 'The account has no credential to use.',
  'reason.NEVER_CHECKED': 'Not checked yet.',
  'reason.VAULT_ONLY_CHANGE': 'Changed in the vault only; not yet confirmed on the target.',
  'reason.SEALED': 'PassMan is sealed.',
} as const;
