/**
 * A run found that its job is no longer its own: its lease lapsed (the worker was paused or cut
 * off) and another worker — or this one, anew — claimed the job. The run stops where it is and
 * its result is dropped; the run that holds the job now carries on from the recorded phase.
 */
export class JobLostError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} is no longer held by this run: another run claimed it after this one's lease lapsed`);
    this.name = 'JobLostError';
  }
}
