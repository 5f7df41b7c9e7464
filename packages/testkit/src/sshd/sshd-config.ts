/** sshd options a test may set; everything else keeps OpenSSH's defaults. */
export interface SshdOptions {
  /** e.g. '+ssh-dss,ssh-rsa' to let legacy DSA and SHA-1 RSA signatures in (OpenSSH 9.2 refuses both by default). */
  pubkeyAcceptedAlgorithms?: string;
  strictModes?: boolean;
  /** e.g. '10:30:100' (the default) or '3' */
  maxStartups?: string;
  maxSessions?: number;
  passwordAuthentication?: boolean;
  permitRootLogin?: 'yes' | 'no' | 'prohibit-password';
  /** VERBOSE logs each login with its key fingerprint; DEBUG1 also logs every userauth request. */
  logLevel?: 'QUIET' | 'INFO' | 'VERBOSE' | 'DEBUG1' | 'DEBUG2' | 'DEBUG3';
  /** Debian's default is yes; PAM is also what makes `passwd` hash with the system default. */
  usePam?: boolean;
  /** Extra raw sshd_config lines, for anything not covered above. */
  extraConfig?: readonly string[];
}

export interface SshdConfigInput extends SshdOptions {
  host: string;
  port: number;
  hostKeyPaths: readonly string[];
}

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

export function renderSshdConfig(input: SshdConfigInput): string {
  const lines = [
    `ListenAddress ${input.host}:${input.port}`,
    ...input.hostKeyPaths.map((path) => `HostKey ${path}`),
    // The namespace has its own /run, but a pid file is of no use to anyone.
    'PidFile none',
    `UsePAM ${yesNo(input.usePam ?? true)}`,
    `PasswordAuthentication ${yesNo(input.passwordAuthentication ?? true)}`,
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile .ssh/authorized_keys',
    `StrictModes ${yesNo(input.strictModes ?? true)}`,
    `PermitRootLogin ${input.permitRootLogin ?? 'prohibit-password'}`,
    `LogLevel ${input.logLevel ?? 'VERBOSE'}`,
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
  ];
  if (input.maxStartups) lines.push(`MaxStartups ${input.maxStartups}`);
  if (input.maxSessions !== undefined) lines.push(`MaxSessions ${input.maxSessions}`);
  if (input.pubkeyAcceptedAlgorithms) lines.push(`PubkeyAcceptedAlgorithms ${input.pubkeyAcceptedAlgorithms}`);
  for (const line of input.extraConfig ?? []) {
    if (/[\r\n]/.test(line)) throw new Error('extraConfig lines must be single lines');
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
