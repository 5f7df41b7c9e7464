/** Jobs: checks and resets asked for over HTTP, the queue they wait in (the jobs table) and the worker that runs them. */
export { createJobsRepo, type JobsRepo } from './jobs.repo.js';
export { createJobsService, type JobsService } from './jobs.service.js';
export { createResetOutcomeService, type ResetOutcomeService } from './reset-outcome.service.js';
export { jobBindings } from './jobs.routes.js';
export { assertResetAllowed } from './reset-request.js';
export { startJobEventHub, type JobEvent, type JobEventHub } from './job-events.js';
export { createJobQueue, type JobQueue } from './job-queue.js';
export { createQueueRepo, type QueueRepo } from './worker/queue.repo.js';
export { createWorkerRepo, type WorkerRepo } from './worker/worker.repo.js';
export { createJobWorker, DEFAULT_WORKER_OPTIONS, type JobWorker, type JobWorkerOptions } from './worker/job-worker.js';
export { createFaultInjector, type FaultInjector } from './worker/fault-injection.js';
