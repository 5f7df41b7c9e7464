import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * sshd writes its log straight to a file (`sshd -E`), so the process that runs the clients
 * spends no CPU on target logs (benchmarks measure client CPU) and another process — a jest
 * worker using targets from globalSetup — can read it too. Positions are byte offsets.
 */
export interface SshdLog {
  readonly path: string;
  /** Current end of the log; pass it to `since`/`waitFor` to look only at what comes next. */
  mark(): number;
  since(mark?: number): string;
  waitFor(pattern: RegExp, options?: { since?: number; timeoutMs?: number }): Promise<string>;
}

export function openSshdLog(path: string): SshdLog {
  const size = (): number => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const since = (mark = 0): string => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return '';
    }
    try {
      const length = Math.max(0, size() - mark);
      const buf = Buffer.alloc(length);
      const read = readSync(fd, buf, 0, length, mark);
      return buf.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  };
  return {
    path,
    mark: size,
    since,
    async waitFor(pattern, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 5_000);
      for (;;) {
        const text = since(options.since ?? 0);
        const match = text.split('\n').find((line) => pattern.test(line));
        if (match !== undefined) return match;
        if (Date.now() > deadline) throw new Error(`sshd log has no line matching ${pattern} (${path})`);
        await sleep(10);
      }
    },
  };
}
