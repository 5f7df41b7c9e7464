import type { EventEmitter } from 'node:events';

/**
 * In the spirit of ssh2's own tests: every 'error' event must be one the test expected.
 * Pass `hook` as a connector's onUnexpectedError, or `watch()` a raw ssh2 client, then call
 * `assertNone()` when the test ends.
 */
export interface UnexpectedErrors {
  readonly errors: readonly Error[];
  readonly hook: (err: Error) => void;
  /** Records every 'error' the emitter fires, except those `expected` accepts. */
  watch(emitter: EventEmitter, expected?: (err: Error) => boolean): void;
  assertNone(): void;
}

export function collectUnexpectedErrors(): UnexpectedErrors {
  const errors: Error[] = [];
  const hook = (err: Error): void => {
    errors.push(err);
  };
  return {
    errors,
    hook,
    watch(emitter, expected) {
      emitter.on('error', (err: Error) => {
        if (!expected?.(err)) hook(err);
      });
    },
    assertNone() {
      if (errors.length > 0) {
        throw new Error(`unexpected error events: ${errors.map((e) => `${e.name}: ${e.message}`).join('; ')}`);
      }
    },
  };
}
