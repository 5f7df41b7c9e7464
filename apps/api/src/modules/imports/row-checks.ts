import {
  DescriptionSchema,
  FolderNameSchema,
  isTargetAddress,
  isTargetUsername,
  NameSchema,
  passwordIssue,
  SECRET_ISSUE_TEXT,
  type ImportReason,
} from '@passman/contracts';
import type { SourceRow } from './import-sources.js';

/** The target types a row may name: the connector kinds PassMan has (case does not matter). */
export const IMPORT_TARGET_TYPES = ['ssh'] as const;
const MAX_GROUP_DEPTH = 16;

/** A row that passed the checks that need no database: names, address, folder path and password, ready to write. */
export interface CheckedRow {
  row: number;
  targetType: string;
  target: string;
  address: string;
  port: number;
  account: string;
  password: string | null;
  groupPath: string[];
  description: string;
}

/** What the report keeps of a row: its names, never its password. */
export interface RowLabel {
  row: number;
  targetType: string;
  target: string;
  account: string;
  groupPath: string;
}

export type RowCheck = { ok: true; row: CheckedRow } | { ok: false; reason: ImportReason; message: string };

export const labelOf = ({ row, values }: SourceRow): RowLabel => ({
  row,
  targetType: values.Target_type.slice(0, 100),
  target: values.Target.slice(0, 200),
  account: values.Account.slice(0, 100),
  groupPath: values.Group_path.slice(0, 1000),
});

const bad = (message: string): RowCheck => ({ ok: false, reason: 'BAD_VALUE', message });

/** The address and port a row names: its URL's (ssh://host:port, or a bare host) else the target's name. */
function whereOf(target: string, url: string): { address: string; port: number } | null {
  if (url !== '') {
    let parsed: URL;
    try {
      parsed = new URL(url.includes('://') ? url : `ssh://${url}`);
    } catch {
      return null;
    }
    const address = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = parsed.port === '' ? 22 : Number(parsed.port);
    return isTargetAddress(address) ? { address, port } : null;
  }
  const address = target.toLowerCase();
  return isTargetAddress(address) ? { address, port: 22 } : null;
}

/**
 * The checks of one row that need nothing but the row: required values, a known target type,
 * names PassMan accepts, a password it can store. Messages never quote the password.
 */
export function checkRow({ row, values }: SourceRow): RowCheck {
  if (values.Target_type === '') return bad('Target_type is empty');
  if (values.Target === '') return bad('Target is empty');
  const targetType = values.Target_type.toLowerCase();
  if (!(IMPORT_TARGET_TYPES as readonly string[]).includes(targetType)) {
    return { ok: false, reason: 'UNKNOWN_TARGET_TYPE', message: `Target_type must be ${IMPORT_TARGET_TYPES.join(' or ')}` };
  }
  const name = NameSchema.safeParse(values.Target);
  if (!name.success) return bad('Target must be one line of at most 200 characters');
  const where = whereOf(values.Target, values.URL);
  if (!where) {
    return bad(
      values.URL ? 'URL must name a host (ssh://host:port or a host name or IP address)' : 'Target is no host name or IP address: give the address in URL',
    );
  }
  if (values.Account === '' && values.Password !== '') return bad('Password without an Account');
  if (values.Account !== '' && !isTargetUsername(values.Account)) {
    return bad('Account must be a user name of the target (lower-case letters, digits, _ and -, at most 32)');
  }
  if (values.Password !== '') {
    const issue = passwordIssue(values.Password);
    if (issue) return bad(`Password ${SECRET_ISSUE_TEXT[issue]}`);
  }
  const groupPath = values.Group_path.split('/')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (groupPath.length > MAX_GROUP_DEPTH) return bad(`Group_path is deeper than ${MAX_GROUP_DEPTH} folders`);
  if (groupPath.some((part) => !FolderNameSchema.safeParse(part).success))
    return bad('Group_path has a folder name that is not one line of at most 200 characters');
  if (!DescriptionSchema.safeParse(values.Description).success) return bad('Description is longer than 1000 characters or holds control characters');
  return {
    ok: true,
    row: {
      row,
      targetType,
      target: name.data,
      ...where,
      account: values.Account,
      password: values.Password === '' ? null : values.Password,
      groupPath,
      description: values.Description,
    },
  };
}

/** The key two rows share when they name the same account (or the same target, without one). */
export const rowKey = (row: CheckedRow) => [row.groupPath.join('/').toLowerCase(), row.target, row.account].join('\u0000');
