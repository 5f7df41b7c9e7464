// Jest loads global setup outside its module system (no TypeScript, no ESM mapping), so this
// shim loads the TypeScript setup through tsx. `npm test` passes --conditions=development
// so workspace packages resolve to their sources.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const setup = await tsImport('./global-setup.ts', import.meta.url);
  await setup.default();
}
