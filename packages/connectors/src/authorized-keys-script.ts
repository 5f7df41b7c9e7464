import type { PublicKeyLine } from './ssh-keys.js';

/**
 * POSIX sh run by the account itself as `/bin/sh -s` with this script on stdin, so it works
 * whatever the login shell is and no argument is ever parsed by a shell. The only data in it
 * comes from parsePublicKeyLine (key type from a fixed list, base64 blob, a comment limited to
 * safe characters), single-quoted.
 *
 * It keeps every other line of authorized_keys byte for byte (options included), writes a
 * temp file in ~/.ssh and renames it over the old one (atomic: sshd never reads half a file),
 * leaves ~/.ssh 700 and the file 600, and does nothing when the key already is (add) or
 * is not (remove) there. When ~/.ssh or the file belong to someone else it stops: sshd's
 * StrictModes would ignore the keys, and only root can fix the owner.
 */
export const EXIT_OWNERSHIP = 80;
export const EXIT_NOT_A_DIRECTORY = 81;
export const MARK_CHANGED = 'PASSMAN-CHANGED';
export const MARK_UNCHANGED = 'PASSMAN-UNCHANGED';
export const MARK_OWNER = 'PASSMAN-OWNER ';

const SAFE_DATA = /^[A-Za-z0-9@._+=:,/ -]*$/;

function quote(value: string): string {
  if (!SAFE_DATA.test(value)) throw new Error('unsafe value for the authorized_keys script');
  return `'${value}'`;
}

const PREAMBLE = `
set -u
umask 077
d="$HOME/.ssh"
f="$d/authorized_keys"
if [ -L "$d" ] || { [ -e "$d" ] && [ ! -d "$d" ]; }; then echo "~/.ssh is not a directory" >&2; exit ${EXIT_NOT_A_DIRECTORY}; fi
if [ ! -d "$d" ]; then mkdir -m 700 "$d" || exit 82; fi
if [ ! -O "$d" ]; then echo "${MARK_OWNER}$(stat -c %U "$d")" >&2; exit ${EXIT_OWNERSHIP}; fi
chmod 700 "$d" || exit 82
if [ -e "$f" ] && [ ! -O "$f" ]; then echo "${MARK_OWNER}$(stat -c %U "$f")" >&2; exit ${EXIT_OWNERSHIP}; fi
has_key() { [ -f "$f" ] && awk -v t="$T" -v b="$B" '{ for (i = 1; i < NF; i++) if ($i == t && $(i + 1) == b) found = 1 } END { exit !found }' "$f"; }
`;

export function addKeyScript(key: PublicKeyLine): string {
  return `T=${quote(key.type)}
B=${quote(key.blob)}
L=${quote(key.line)}
${PREAMBLE}
if has_key; then chmod 600 "$f" || exit 82; echo ${MARK_UNCHANGED}; exit 0; fi
tmp=$(mktemp "$d/.authorized_keys.XXXXXX") || exit 82
trap 'rm -f "$tmp"' EXIT
if [ -s "$f" ]; then
  cat "$f" > "$tmp" || exit 83
  if [ -n "$(tail -c 1 "$f")" ]; then echo >> "$tmp"; fi
fi
printf '%s\\n' "$L" >> "$tmp" || exit 83
chmod 600 "$tmp" && mv -f "$tmp" "$f" || exit 84
echo ${MARK_CHANGED}
`;
}

export function removeKeyScript(key: PublicKeyLine): string {
  return `T=${quote(key.type)}
B=${quote(key.blob)}
${PREAMBLE}
if ! has_key; then if [ -f "$f" ]; then chmod 600 "$f" || exit 82; fi; echo ${MARK_UNCHANGED}; exit 0; fi
tmp=$(mktemp "$d/.authorized_keys.XXXXXX") || exit 82
trap 'rm -f "$tmp"' EXIT
awk -v t="$T" -v b="$B" '{ keep = 1; for (i = 1; i < NF; i++) if ($i == t && $(i + 1) == b) keep = 0; if (keep) print }' "$f" > "$tmp" || exit 83
chmod 600 "$tmp" && mv -f "$tmp" "$f" || exit 84
echo ${MARK_CHANGED}
`;
}
