import { stringify } from 'yaml';
import type { Output } from './context.js';

/** A command's result for programs: one JSON line, or one YAML document. */
export function formatted(output: Exclude<Output, 'table'>, value: unknown): string {
  return output === 'json' ? `${JSON.stringify(value)}\n` : `---\n${stringify(value)}`;
}
