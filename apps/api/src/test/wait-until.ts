/**
 * Resolves once `condition` holds, checking every 10 ms; fails after `timeoutMs` saying what it
 * waited for. For effects another process or socket produces, where there is no event to await.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
