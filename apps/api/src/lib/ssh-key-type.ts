import { SSH_KEY_TYPES, type SshKeyType } from '@passman/contracts';
import type { SshKeyType as DbSshKeyType } from '@passman/db';

// Prisma enum members cannot hold '-', so the database names are the wire names with '_'.
const TO_DB = Object.fromEntries(SSH_KEY_TYPES.map((type) => [type, type.replaceAll('-', '_')])) as Record<SshKeyType, DbSshKeyType>;
const FROM_DB = Object.fromEntries(Object.entries(TO_DB).map(([wire, db]) => [db, wire])) as Record<DbSshKeyType, SshKeyType>;

export const sshKeyTypeToDb = (type: SshKeyType): DbSshKeyType => TO_DB[type];
export const sshKeyTypeFromDb = (type: DbSshKeyType): SshKeyType => FROM_DB[type];
