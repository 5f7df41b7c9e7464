import { loadKdbxweb, type Kdbxweb } from '../../lib/kdbxweb.js';

/** Argon2id at 64 MiB, 3 passes: above OWASP's minimum, and one derivation per export and per opening. */
const KDF = { memoryBytes: 64 * 1024 * 1024, iterations: 3, parallelism: 2 };

export interface KdbxEntry {
  /** The groups from the file's root down, e.g. the folders of the vault tree. */
  path: string[];
  title: string;
  username: string;
  url: string;
  notes: string;
  password: string | null;
  /** Further secrets (a PIN, SSH private keys), as protected fields named by the key. */
  extra: Record<string, string>;
}

/** A KeePass KDBX 4 file holding `entries`, encrypted under `password`. */
export async function buildKdbx(password: string, name: string, entries: KdbxEntry[]): Promise<Buffer> {
  const kdbxweb = await loadKdbxweb();
  const db = kdbxweb.Kdbx.create(new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(password)), name);
  db.setVersion(4);
  db.setKdf(kdbxweb.Consts.KdfId.Argon2id);
  const params = db.header.kdfParameters!;
  params.set('M', kdbxweb.VarDictionary.ValueType.UInt64, kdbxweb.Int64.from(KDF.memoryBytes));
  params.set('I', kdbxweb.VarDictionary.ValueType.UInt64, kdbxweb.Int64.from(KDF.iterations));
  params.set('P', kdbxweb.VarDictionary.ValueType.UInt32, KDF.parallelism);
  const root = db.getDefaultGroup();
  root.name = name;
  const groups = new Map<string, Kdbxweb.KdbxGroup>();
  const groupAt = (path: string[]): Kdbxweb.KdbxGroup => {
    if (path.length === 0) return root;
    const key = JSON.stringify(path);
    const found = groups.get(key);
    if (found) return found;
    const group = db.createGroup(groupAt(path.slice(0, -1)), path.at(-1)!);
    groups.set(key, group);
    return group;
  };
  for (const item of entries) {
    const entry = db.createEntry(groupAt(item.path));
    entry.fields.set('Title', item.title);
    entry.fields.set('UserName', item.username);
    entry.fields.set('URL', item.url);
    entry.fields.set('Notes', item.notes);
    entry.fields.set('Password', kdbxweb.ProtectedValue.fromString(item.password ?? ''));
    for (const [field, value] of Object.entries(item.extra)) entry.fields.set(field, kdbxweb.ProtectedValue.fromString(value));
  }
  return Buffer.from(await db.save());
}
