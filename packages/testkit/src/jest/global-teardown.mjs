// See global-setup.mjs for why this shim exists.
import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const teardown = await tsImport('./global-teardown.ts', import.meta.url);
  await teardown.default();
}
