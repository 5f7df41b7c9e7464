import { parentPort, workerData } from 'node:worker_threads';
import { drive, httpClient } from './load.js';

/**
 * The benchmark's HTTP clients, on their own thread so their work (sending requests,
 * reading 40 KB answers) does not queue behind the server's on its event loop. Each job
 * message runs one scenario: posts `measuring` when the warm-up ends, then the result.
 */
export interface LoadJob {
  name: string;
  paths: string[];
  /** Sent with each request (the session cookie of the user the scenario is about). */
  headers: Record<string, string>;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

const port = parentPort!;
const { origin, maxSockets } = workerData as { origin: string; maxSockets: number };
const client = httpClient(origin, maxSockets);

port.on('message', (job: LoadJob | 'close') => {
  if (job === 'close') {
    client.close();
    port.close();
    return;
  }
  let next = 0;
  const op = () => client.get(job.paths[next++ % job.paths.length]!, job.headers).then(() => undefined);
  void drive(job.name, op, { ...job, onMeasureStart: () => port.postMessage({ type: 'measuring' }) }).then((result) =>
    port.postMessage({ type: 'result', result }),
  );
});
