import type { Policy } from '@passman/contracts';
import { sshKeyTypeFromDb } from '../../lib/ssh-key-type.js';
import type { PolicyRow } from './policies.repo.js';

export function presentPolicy(row: PolicyRow): Policy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isDefault: row.isDefault,
    passwordLength: row.passwordLength,
    useLowercase: row.useLowercase,
    useUppercase: row.useUppercase,
    useDigits: row.useDigits,
    useSymbols: row.useSymbols,
    minLowercase: row.minLowercase,
    minUppercase: row.minUppercase,
    minDigits: row.minDigits,
    minSymbols: row.minSymbols,
    excludedChars: row.excludedChars,
    avoidAmbiguous: row.avoidAmbiguous,
    pinLength: row.pinLength,
    sshKeyType: sshKeyTypeFromDb(row.sshKeyType),
    sshKeyBits: row.sshKeyBits,
    rotationIntervalDays: row.rotationIntervalDays,
    checkoutExclusive: row.checkoutExclusive,
    checkoutMaxMinutes: row.checkoutMaxMinutes,
    resetAfterCheckin: row.resetAfterCheckin,
    accountCount: row._count.accounts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
