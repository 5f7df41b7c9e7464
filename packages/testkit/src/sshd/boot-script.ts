/**
 * The script pid 1 of a target's namespace runs. Everything a test may change lives in
 * namespace-private mounts: an overlay over /etc (useradd, chpasswd, sudoers only write its
 * upper layer, itself on a tmpfs) and tmpfs over /home, /root, /run, /var/log, /var/mail —
 * so the host's files are never written, and everything vanishes with the namespace.
 */
export interface BootScriptInput {
  dir: string;
  usersScript: string;
  configPath: string;
  logPath: string;
  /** Keep PAM's ≈2 s pause after a failed password (pam_unix without `nodelay`). */
  pamFailDelay: boolean;
}

export function renderBootScript({ dir, usersScript, configPath, logPath, pamFailDelay }: BootScriptInput): string {
  return [
    'set -eu',
    `D=${dir}`,
    'mount -t tmpfs -o mode=700 passman-ns "$D/ns"',
    'mkdir "$D/ns/upper" "$D/ns/work"',
    'mount -t overlay passman-etc -o "lowerdir=/etc,upperdir=$D/ns/upper,workdir=$D/ns/work" /etc',
    // Tests try wrong passwords on purpose; PAM's failure delay would make each cost ~2 s.
    ...(pamFailDelay ? [] : ["sed -i '/^auth.*pam_unix\\.so/s/$/ nodelay/' /etc/pam.d/common-auth"]),
    'mount -t tmpfs -o mode=755 passman-home /home',
    'mount -t tmpfs -o mode=700 passman-root /root',
    'mount -t tmpfs -o mode=755 passman-run /run',
    'mount -t tmpfs -o mode=755 passman-log /var/log',
    'if [ -d /var/mail ]; then mount -t tmpfs -o mode=2775 passman-mail /var/mail; fi',
    'if [ -d /var/lib/sudo ]; then mount -t tmpfs -o mode=700 passman-sudo /var/lib/sudo; fi',
    // sshd's privilege-separation directory.
    'mkdir -m 755 /run/sshd',
    `/bin/sh ${usersScript}`,
    `exec /usr/sbin/sshd -D -E ${logPath} -f ${configPath} </dev/null`,
    '',
  ].join('\n');
}
