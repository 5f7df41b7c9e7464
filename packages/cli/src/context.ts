import type { PassmanClient } from '@passman/sdk';
import type { ConnectionFlags } from './config.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal: a secret is never written to one unless asked with --reveal. */
  stdoutIsTty: boolean;
  /** Whether stdin is a terminal (then no secret was piped in). */
  stdinIsTty: boolean;
  /** All of stdin, as text. */
  readStdin: () => Promise<string>;
  /** Asks on the terminal without echoing what is typed (stdin a terminal). */
  promptSecret: (prompt: string) => Promise<string>;
}

export type Output = 'table' | 'json' | 'yaml';

export interface GlobalFlags extends ConnectionFlags {
  output: Output;
}

/** What a command gets: the streams, and `run`, which makes the client from the flags and records the exit code. */
export interface CommandContext {
  io: CliIo;
  run: (action: (pm: PassmanClient, flags: GlobalFlags) => Promise<number>) => Promise<void>;
}
