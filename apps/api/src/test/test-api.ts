import type { Database } from '@passman/db';
import type { TargetConnector } from '@passman/connectors';
import type { Vault } from '@passman/vault';
import type { Express } from 'express';
import type supertest from 'supertest';
import type { JobEventHub } from '../modules/jobs/job-events.js';
import type { JobQueue } from '../modules/jobs/job-queue.js';
import type { FaultInjector } from '../modules/jobs/worker/fault-injection.js';
import type { JobWorker, JobWorkerOptions } from '../modules/jobs/worker/job-worker.js';
import type { Services } from '../services.js';

/**
 * One API over HTTP against the run's real PostgreSQL (made by jest's global setup).
 * Each test file builds its own; factories make unique rows so tests never share state.
 */
export interface TestApi {
  /** The Express app itself, to serve on a real port where a test needs raw sockets or streams. */
  app: Express;
  db: Database;
  services: Services;
  request: () => supertest.Agent;
  /** Every log line the app wrote, for leak checks. */
  logLines: string[];
  databaseUrl: string;
  queue: JobQueue;
  /** The job-event hub (one LISTEN connection) behind every event stream of this API. */
  events: JobEventHub;
  connector: TargetConnector;
  /** The vault the app was given, to read stored versions as the worker does. */
  vault: Vault;
  /** Starts a job worker in this process (stopped by close()). */
  startWorker(options?: Partial<JobWorkerOptions> & { faults?: FaultInjector }): JobWorker;
  close(): Promise<void>;
}
