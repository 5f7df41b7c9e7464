// Worker-thread entry of the benchmark's HTTP clients (see load-worker.ts). Workers do not
// inherit tsx's loader, so this plain-JS shim loads the TypeScript through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./load-worker.ts', import.meta.url);
