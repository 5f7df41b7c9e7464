import { startSshTarget, type SshTarget, type SshTargetOptions } from './ssh-target.js';

export interface SshTargetGroupOptions extends SshTargetOptions {
  count: number;
  /** Per-target options (e.g. users), merged over the shared ones. */
  perTarget?(index: number): SshTargetOptions;
}

export interface SshTargetGroup {
  readonly targets: readonly SshTarget[];
  stop(): Promise<void>;
}

/** Starts `count` targets in parallel; if one fails, the others are stopped before rejecting. */
export async function startSshTargets(options: SshTargetGroupOptions): Promise<SshTargetGroup> {
  const { count, perTarget, ...shared } = options;
  const results = await Promise.allSettled(Array.from({ length: count }, (_, index) => startSshTarget({ ...shared, ...perTarget?.(index) })));
  const targets = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const stop = async (): Promise<void> => {
    await Promise.all(targets.map((target) => target.stop()));
  };
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return { targets, stop };
}
