import type { SshKeyType } from '@passman/contracts';
import type { SshKeyType as DbSshKeyType } from '@passman/db';

// Prisma enum members cannot hold '-', so the database names differ from the wire names.
const TO_DB: Record<SshKeyType, DbSshKeyType> = {
  'ssh-rsa': 'ssh_rsa',
  'ecdsa-sha2-nistp256': 'ecdsa_sha2_nistp256',
  'ssh-dss': 'ssh_dss',
  'ssh-ed25519': 'ssh_ed25519',
};
const FROM_DB = Object.fromEntries(Object.entries(TO_DB).map(([wire, db]) => [db, wire])) as Record<DbSshKeyType, SshKeyType>;

export const sshKeyTypeToDb = (type: SshKeyType): DbSshKeyType => TO_DB[type];
export const sshKeyTypeFromDb = (type: DbSshKeyType): SshKeyType => FROM_DB[type];
