import { describe, expect, it, jest } from '@jest/globals';
import { createGroupCommit } from './group-commit.js';

/** A writer whose writes finish only when the test says so. */
function controlledWriter() {
  const groups: number[][] = [];
  const finish: ((err?: Error) => void)[] = [];
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      groups.push(items);
      finish.push((err) => (err ? reject(err) : resolve()));
    });
  return { groups, finish, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes the first item at once and the items added meanwhile together', async () => {
    const w = controlledWriter();
    const commit = createGroupCommit(w.write);
    const first = commit.add(1);
    await tick();
    expect(w.groups).toEqual([[1]]);
    const later = [commit.add(2), commit.add(3), commit.add(4)];
    await tick();
    expect(w.groups).toEqual([[1]]); // nothing more until the first write ends
    w.finish[0]!();
    await first;
    await tick();
    expect(w.groups).toEqual([[1], [2, 3, 4]]);
    w.finish[1]!();
    await Promise.all(later);
    await commit.drain();
  });

  it('joins the items added in the same tick into the first group', async () => {
    const w = controlledWriter();
    const commit = createGroupCommit(w.write);
    const added = [commit.add(1), commit.add(2)];
    await tick();
    expect(w.groups).toEqual([[1, 2]]);
    w.finish[0]!();
    await Promise.all(added);
  });

  it('fails every item of a failed group with its error, and goes on with the next group', async () => {
    const w = controlledWriter();
    const commit = createGroupCommit(w.write);
    const first = commit.add(1);
    await tick();
    const second = commit.add(2);
    w.finish[0]!(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await tick();
    expect(w.groups).toEqual([[1], [2]]);
    w.finish[1]!();
    await expect(second).resolves.toBeUndefined();
  });

  it('starts a new flush for an item added after the last one ended', async () => {
    const w = controlledWriter();
    const commit = createGroupCommit(w.write);
    const first = commit.add(1);
    await tick();
    w.finish[0]!();
    await first;
    await commit.drain();
    const second = commit.add(2);
    await tick();
    expect(w.groups).toEqual([[1], [2]]);
    w.finish[1]!();
    await second;
  });

  it('waits delayMs before the first write, so more items can join', async () => {
    jest.useFakeTimers();
    try {
      const w = controlledWriter();
      const commit = createGroupCommit(w.write, { delayMs: 30 });
      const added = [commit.add(1)];
      await jest.advanceTimersByTimeAsync(5);
      added.push(commit.add(2));
      await jest.advanceTimersByTimeAsync(24);
      expect(w.groups).toEqual([]); // 29 ms: still waiting
      await jest.advanceTimersByTimeAsync(1);
      expect(w.groups).toEqual([[1, 2]]);
      w.finish[0]!();
      await Promise.all(added);
    } finally {
      jest.useRealTimers();
    }
  });
});
