import { describe, expect, it } from '@jest/globals';
import { QueryObserver } from '@tanstack/react-query';
import { createQueryClient } from './query-client';

/** A query function whose answers the test gives, one per call, in order. */
function answeredByHand() {
  const pending: ((value: string) => void)[] = [];
  return {
    fn: () => new Promise<string>((resolve) => pending.push(resolve)),
    get calls() {
      return pending.length;
    },
    answer: (call: number, value: string) => pending[call]!(value),
  };
}

/** Lets the promise callbacks already queued run (no waiting on time). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the console’s query client', () => {
  it('refetches a list whose first fetch was in flight when a change invalidated it: the stale answer does not stay', async () => {
    const client = createQueryClient();
    const server = answeredByHand();
    const observer = new QueryObserver(client, { queryKey: ['targets', 'list', { q: 'host' }], queryFn: server.fn });
    const seen: (string | undefined)[] = [];
    const unsubscribe = observer.subscribe((result) => seen.push(result.data));
    expect(server.calls).toBe(1); // the list opened with a new filter: its first fetch, no data yet

    // A change is saved meanwhile; its success invalidates the lists while that fetch is in flight.
    const invalidated = client.invalidateQueries({ queryKey: ['targets', 'list'] });
    server.answer(0, 'port 2222 (read before the change committed)');
    await settle();
    expect(server.calls).toBe(2);
    server.answer(1, 'port 2299');
    await invalidated;

    expect(client.getQueryData(['targets', 'list', { q: 'host' }])).toBe('port 2299');
    expect(seen.at(-1)).toBe('port 2299');
    unsubscribe();
    client.clear();
  });
});
