import { describe, expect, it } from '@jest/globals';
import { runFuzz } from './run-fuzz.js';

// Part of every `npm test`: a fixed seed, so a failure here fails the same way every run;
// `npm run fuzz -- --seed N --runs 20000` explores further.
const SEED = 20_261_206;
const RUNS = 2_000;

describe('schema-driven fuzzing of every route in the OpenAPI document', () => {
  it(`${RUNS} requests (seed ${SEED}): no answer is a 5xx, every error is problem+json`, async () => {
    const report = await runFuzz({ adminUrl: process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!, seed: SEED, runs: RUNS });
    // Every operation was called, and most got past validation to a 2xx, 404 or 409 somewhere.
    expect(Object.keys(report.statuses).sort()).toEqual([...report.operations].sort());
    const reachedServices = report.operations.filter((op) =>
      Object.keys(report.statuses[op]!).some((s) => ['200', '201', '202', '204', '404', '409'].includes(s)),
    );
    expect(reachedServices.length).toBeGreaterThan(report.operations.length * 0.8);
    // A budget, not a speed check: 2,000 requests one after another take under a minute alone, and
    // well over two beside the other test files on a busy two-core machine.
  }, 360_000);
});
