import type { CliIo } from './context.js';

/**
 * Progress of something long (a batch, an import): a bar redrawn on one line on a terminal,
 * plain lines otherwise — one per change, so a CI log shows the progress without control
 * characters.
 */
export function progressReporter(io: CliIo): { update(line: string, done: number, total: number): void; end(): void } {
  let last = '';
  return {
    update(line, done, total) {
      if (line === last) return;
      last = line;
      if (!io.stdoutIsTty) {
        io.stdout(`${line}\n`);
        return;
      }
      const width = 30;
      const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
      io.stdout(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}`);
    },
    end() {
      if (io.stdoutIsTty && last) io.stdout('\n');
    },
  };
}
