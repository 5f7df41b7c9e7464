import { open, stat } from 'node:fs/promises';
import type { AuditEvent } from '@passman/contracts';
import { formatJsonLine } from './audit-stream-format.js';

/** How much of a file's end is read to find the last event written there. */
const TAIL_BYTES = 256 * 1024;

/**
 * The seq of the last complete JSON line of a file (null when it has none, e.g. after rotation).
 * A line cut short by a crash has no newline yet and is ignored (the next write starts a new line).
 */
export async function lastSeqInFile(path: string): Promise<bigint | null> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (size === 0) return null;
  const length = Math.min(size, TAIL_BYTES);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    lines.pop(); // after the last newline: empty, or a line cut short
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        const parsed = JSON.parse(lines[i]!) as { seq?: unknown };
        if (typeof parsed.seq === 'string' && /^\d+$/.test(parsed.seq)) return BigInt(parsed.seq);
      } catch {
        // not a line of ours (or cut at the start of the window): look at the one before
      }
    }
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * Appends events to a file as JSON lines and makes them durable (fsync) before the cursor moves.
 * Exactly once across a crash: events the file already ends with (written, cursor not yet moved)
 * are skipped. The file is opened per batch, so a log rotation (rename, then a new file) just works.
 */
export async function appendJsonLines(path: string, events: AuditEvent[]): Promise<void> {
  const last = await lastSeqInFile(path);
  const fresh = last === null ? events : events.filter((e) => BigInt(e.seq) > last);
  if (fresh.length === 0) return;
  const handle = await open(path, 'a+', 0o640);
  try {
    const { size } = await handle.stat();
    // A line cut short by a crash would swallow the first new one: start on a line of its own.
    const prefix = size > 0 && !(await endsWithNewline(handle, size)) ? '\n' : '';
    await handle.writeFile(prefix + fresh.map(formatJsonLine).join(''), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function endsWithNewline(handle: Awaited<ReturnType<typeof open>>, size: number): Promise<boolean> {
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, size - 1);
  return byte[0] === 0x0a;
}

/** Writes events to a stream (standard output) as JSON lines, waiting for it to drain. */
export async function writeJsonLines(stream: NodeJS.WritableStream, events: AuditEvent[]): Promise<void> {
  const text = events.map(formatJsonLine).join('');
  await new Promise<void>((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}
