import { mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * Hands out loopback addresses 127.0.10.1–254 (port 2222) so targets started by parallel
 * jest workers, benchmarks and other processes never collide. A lease is a lock file made
 * with O_EXCL; a lock whose owner process is gone is reclaimed, together with the temp
 * directory it names (a process killed before its cleanup ran).
 */
export const TARGET_PORT = 2222;
const LOCK_DIR = '/tmp/passman-sshd-locks';
const FIRST = 1;
const LAST = 254;

export interface AddressLease {
  readonly host: string;
  readonly port: number;
  /** Records the target's temp dir in the lock so a later process can clean it up. */
  recordDir(dir: string): void;
  release(): void;
}

interface LockContent {
  pid: number;
  dir?: string;
}

function lockPath(n: number): string {
  return `${LOCK_DIR}/127.0.10.${n}.lock`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeLock(path: string, content: LockContent, flag: 'wx' | 'w'): void {
  const fd = openSync(path, flag, 0o600);
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
}

function tryCreate(n: number): boolean {
  try {
    writeLock(lockPath(n), { pid: process.pid }, 'wx');
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Removes the lock of a dead owner; only one process wins the rename, so only it cleans up. */
function reclaimIfStale(n: number): void {
  const path = lockPath(n);
  let content: LockContent;
  try {
    content = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
  } catch {
    return; // vanished or half-written by a live owner: leave it
  }
  if (alive(content.pid)) return;
  const claimed = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, claimed);
  } catch {
    return;
  }
  if (content.dir?.startsWith('/tmp/passman-sshd-')) rmSync(content.dir, { recursive: true, force: true });
  unlinkSync(claimed);
}

function portFree(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(TARGET_PORT, host, () => server.close(() => resolve(true)));
  });
}

const inProcess = new Set<number>();
let swept = false;

/** Once per process: clean up after processes that were killed before they could. */
function sweepStaleLocks(): void {
  if (swept) return;
  swept = true;
  for (const name of readdirSync(LOCK_DIR)) {
    const match = /^127\.0\.10\.(\d+)\.lock$/.exec(name);
    if (match) reclaimIfStale(Number(match[1]));
  }
}

export async function leaseAddress(): Promise<AddressLease> {
  mkdirSync(LOCK_DIR, { recursive: true, mode: 0o700 });
  sweepStaleLocks();
  const span = LAST - FIRST + 1;
  // Start at a pid-derived slot so parallel workers rarely contend for the same locks.
  const start = process.pid % span;
  for (let i = 0; i < span; i++) {
    const n = FIRST + ((start + i) % span);
    if (inProcess.has(n)) continue;
    if (!tryCreate(n)) {
      reclaimIfStale(n);
      if (!tryCreate(n)) continue;
    }
    const host = `127.0.10.${n}`;
    if (!(await portFree(host))) {
      unlinkSync(lockPath(n)); // something outside our locks listens there: skip it
      continue;
    }
    inProcess.add(n);
    let released = false;
    return {
      host,
      port: TARGET_PORT,
      recordDir(dir) {
        writeLock(lockPath(n), { pid: process.pid, dir }, 'w');
      },
      release() {
        if (released) return;
        released = true;
        inProcess.delete(n);
        rmSync(lockPath(n), { force: true });
      },
    };
  }
  throw new Error('no free SSH target address in 127.0.10.1-254');
}
