import { describe, expect, it } from '@jest/globals';
import type { Job } from '@passman/contracts';
import { NotFoundError, RateLimitedError, WaitTimeoutError } from './errors.js';
import { waitForJob } from './wait.js';

const job = (state: Job['state'], errorCode: string | null = null) => ({ id: 'j1', state, errorCode }) as unknown as Job;

/** A jobs client whose stream and GET answer from the scripts given; it records what was called. */
function fakeJobs(options: { stream: () => AsyncIterable<Job>; get: Job[] }) {
  const calls: string[] = [];
  let gets = 0;
  const client = {
    jobs: {
      events: () => {
        calls.push('events');
        return options.stream();
      },
      get: async () => {
        calls.push('get');
        return options.get[Math.min(gets++, options.get.length - 1)]!;
      },
    },
  };
  return { client: client as unknown as Parameters<typeof waitForJob>[0], calls };
}

describe('waitForJob', () => {
  it('returns the settled job from the stream, without polling', async () => {
    const { client, calls } = fakeJobs({
      stream: async function* () {
        yield job('queued');
        yield job('running');
        yield job('succeeded');
      },
      get: [],
    });
    const seen: string[] = [];
    await expect(waitForJob(client, 'j1', { onProgress: (j) => seen.push(j.state) })).resolves.toMatchObject({ state: 'succeeded' });
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
    expect(calls).toEqual(['events']);
  });

  it('polls when the stream is refused, or ends before the job settled', async () => {
    const refused = fakeJobs({
      // eslint-disable-next-line require-yield
      stream: async function* () {
        throw new RateLimitedError({ status: 429, code: 'RATE_LIMITED' });
      },
      get: [job('running'), job('running'), job('failed')],
    });
    await expect(waitForJob(refused.client, 'j1', { pollIntervalMs: 1 })).resolves.toMatchObject({ state: 'failed' });
    expect(refused.calls).toEqual(['events', 'get', 'get', 'get']);

    const cut = fakeJobs({
      stream: async function* () {
        yield job('running');
      },
      get: [job('succeeded')],
    });
    await expect(waitForJob(cut.client, 'j1')).resolves.toMatchObject({ state: 'succeeded' });
    expect(cut.calls).toEqual(['events', 'get']);
  });

  it('waits through an unverified job still being recovered, and stops at one whose recovery gave up', async () => {
    const { client } = fakeJobs({
      stream: async function* () {
        yield job('unverified', 'CONNECTION_LOST');
        yield job('unverified', 'OUTCOME_UNKNOWN');
      },
      get: [],
    });
    await expect(waitForJob(client, 'j1')).resolves.toMatchObject({ state: 'unverified', errorCode: 'OUTCOME_UNKNOWN' });
  });

  it('does not poll after an error polling would meet again', async () => {
    const { client, calls } = fakeJobs({
      // eslint-disable-next-line require-yield
      stream: async function* () {
        throw new NotFoundError({ status: 404, code: 'NOT_FOUND' });
      },
      get: [job('succeeded')],
    });
    await expect(waitForJob(client, 'j1')).rejects.toThrow(NotFoundError);
    expect(calls).toEqual(['events']);
  });

  it('gives up at its timeout with a WaitTimeoutError, and at the caller’s abort with the abort', async () => {
    const never = () =>
      fakeJobs({
        stream: async function* () {
          yield job('running');
        },
        get: [job('running')],
      });
    await expect(waitForJob(never().client, 'j1', { timeoutMs: 20, pollIntervalMs: 1 })).rejects.toThrow(WaitTimeoutError);

    const controller = new AbortController();
    const waiting = waitForJob(never().client, 'j1', { signal: controller.signal, pollIntervalMs: 1, onProgress: () => controller.abort() });
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
