import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * A process tree in its own mount + PID namespace. The chain
 *   setpriv --pdeathsig KILL → unshare --fork --kill-child → (pid 1 in the namespace)
 * means: if this Node process dies, unshare gets SIGKILL; when unshare dies its child (pid 1)
 * gets SIGKILL; when pid 1 of a PID namespace dies the kernel kills everything else in it
 * (sshd's per-connection children, which call setsid() and so escape any process-group kill).
 * Nothing a target started can outlive the process that started it.
 */
export interface NamespaceProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or null after a signal) of the outer unshare process. */
  readonly exited: Promise<number | null>;
  /** Host pid of pid 1 inside the namespace (found once it exists). */
  nsPid(): number;
  /** Runs argv inside the namespace as root (nsenter), stdin from `input`. */
  run(argv: readonly string[], input?: string | Buffer): Promise<RunResult>;
  /** Kills the whole namespace and waits for it to be gone. */
  kill(): Promise<void>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnNamespaceOptions {
  /** Script (POSIX sh) run as pid 1 of the namespace; it ends by exec'ing the long-lived process. */
  scriptPath: string;
  stdin?: string;
  onStderrLine(line: string): void;
}

const live = new Set<NamespaceProcess>();
let exitHookInstalled = false;

/** Last-resort cleanup for a process that exits without stopping its targets. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const ns of live) {
      try {
        process.kill(ns.nsPid(), 'SIGKILL');
      } catch {
        /* already gone */
      }
      try {
        if (ns.child.pid) process.kill(-ns.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export function runCommand(argv: readonly string[], input?: string | Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (!cmd) throw new Error('empty argv');
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {
      /* the command may exit without reading its input */
    });
    child.stdin.end(input ?? '');
  });
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function spawnInNamespace(options: SpawnNamespaceOptions): NamespaceProcess {
  installExitHook();
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'SIGKILL',
      '--',
      'unshare',
      '--mount',
      '--propagation',
      'private',
      '--pid',
      '--fork',
      '--mount-proc',
      '--kill-child',
      '--',
      '/bin/sh',
      options.scriptPath,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) options.onStderrLine(line);
  });
  child.stdin?.on('error', () => {
    /* boot script failed before reading stdin; the exit is reported instead */
  });
  child.stdin?.end(options.stdin ?? '');

  let cachedNsPid: number | undefined;
  const ns: NamespaceProcess = {
    child,
    exited,
    nsPid() {
      if (cachedNsPid !== undefined) return cachedNsPid;
      const found = child.pid === undefined ? undefined : childrenOf(child.pid)[0];
      if (found === undefined) throw new Error('namespace process not running');
      cachedNsPid = found;
      return found;
    },
    run(argv, input) {
      return runCommand(['nsenter', '-t', String(ns.nsPid()), '-m', '-p', '--', ...argv], input);
    },
    async kill() {
      try {
        process.kill(ns.nsPid(), 'SIGKILL');
      } catch {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await exited;
      live.delete(ns);
    },
  };
  live.add(ns);
  void exited.then(() => live.delete(ns));
  return ns;
}
