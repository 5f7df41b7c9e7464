import { DEFAULT_SSH_KEY_TYPE, type SshKeyType } from './ssh-key-types.js';

/**
 * What a new policy holds for every field the request leaves out: the API's create request,
 * the vault's default generator settings and the web app's empty form all start from these.
 * The `policies` table's column defaults (prisma/schema.prisma) hold the same values: change
 * both together.
 */
export const POLICY_DEFAULTS = Object.freeze({
  description: '',
  isDefault: false,
  passwordLength: 20,
  useLowercase: true,
  useUppercase: true,
  useDigits: true,
  useSymbols: true,
  minLowercase: 1,
  minUppercase: 1,
  minDigits: 1,
  minSymbols: 1,
  excludedChars: '',
  avoidAmbiguous: false,
  pinLength: 6,
  sshKeyType: DEFAULT_SSH_KEY_TYPE as SshKeyType,
  /** null: the type's default size (SSH_KEY_BITS). */
  sshKeyBits: null as number | null,
  rotationIntervalDays: null as number | null,
  checkoutExclusive: false,
  checkoutMaxMinutes: null as number | null,
  resetAfterCheckin: false,
});
export type PolicyDefaults = typeof POLICY_DEFAULTS;
