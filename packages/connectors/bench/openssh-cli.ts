import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CliJob {
  host: string;
  port: number;
  user: string;
  /** The current password (written to a 0600 file, handed to sshpass through SSHPASS). */
  password: string;
  /** For a change: the new password; stdin of `passwd` comes from a 0600 file. */
  newPassword?: string;
}

export interface CliPhase {
  wallMs: number;
  cpuMs: number;
  latenciesMs: number[];
  failures: number;
}

// One bash per operation: reads the password from a file (no fork: $(<file)), times itself
// with $EPOCHREALTIME, and prints "start end exit-code". No secret is ever in an argv.
const PER_OP = String.raw`
d=$1; i=$2; h=$3; p=$4; u=$5
export SSHPASS="$(<"$d/pw-$i")"
opts=(-F /dev/null -o UserKnownHostsFile="$d/known_hosts" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes
      -o PreferredAuthentications=password -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1
      -o LogLevel=ERROR -o ConnectTimeout=10 -p "$p")
s=$EPOCHREALTIME
if [ -f "$d/in-$i" ]; then
  sshpass -e ssh "${'$'}{opts[@]}" "$u@$h" passwd < "$d/in-$i" > /dev/null 2>&1
else
  sshpass -e ssh "${'$'}{opts[@]}" "$u@$h" true < /dev/null > /dev/null 2>&1
fi
rc=$?
echo "$s $EPOCHREALTIME $rc"
`;

function parseTimes(text: string): number {
  // `times` prints two lines: the shell's own user/sys, then its children's.
  const lines = text.trim().split('\n');
  const children = lines[lines.length - 1] ?? '';
  let total = 0;
  for (const match of children.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(match[1]) * 60_000 + Number(match[2]) * 1000;
  return total;
}

/**
 * `sshpass -e ssh` under `xargs -P`, the way an admin script would do it. Client CPU is what
 * bash's `times` reports for all descendants (xargs, bash, sshpass, ssh).
 */
export async function runOpensshPhase(dir: string, jobs: readonly CliJob[], concurrency: number, knownHosts: string): Promise<CliPhase> {
  writeFileSync(join(dir, 'known_hosts'), knownHosts, { mode: 0o600 });
  writeFileSync(join(dir, 'per-op.sh'), PER_OP, { mode: 0o600 });
  const list: string[] = [];
  jobs.forEach((job, i) => {
    writeFileSync(join(dir, `pw-${i}`), job.password, { mode: 0o600 });
    if (job.newPassword !== undefined) {
      writeFileSync(join(dir, `in-${i}`), `${job.password}\n${job.newPassword}\n${job.newPassword}\n`, { mode: 0o600 });
    }
    list.push(`${i} ${job.host} ${job.port} ${job.user}`);
  });
  writeFileSync(join(dir, 'jobs'), `${list.join('\n')}\n`, { mode: 0o600 });
  const script = `xargs -P ${concurrency} -L 1 bash ${dir}/per-op.sh ${dir} < ${dir}/jobs; times >&2`;
  const started = performance.now();
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, LANG: 'C' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', () => resolve({ stdout: out, stderr: err }));
  });
  const wallMs = performance.now() - started;
  const latenciesMs: number[] = [];
  let failures = 0;
  for (const line of stdout.trim().split('\n')) {
    const [s, e, rc] = line.split(' ');
    if (rc !== '0') failures += 1;
    else latenciesMs.push((Number(e) - Number(s)) * 1000);
  }
  return { wallMs, cpuMs: parseTimes(stderr), latenciesMs, failures };
}
