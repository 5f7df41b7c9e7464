// `npm run lint:manifests`: every path a workspace's package.json names (main, types, bin,
// exports) points at a file that exists, or, for build output under dist/, at a file the
// build makes from a source that exists (dist/x.js and dist/x.d.ts from src/x.ts or src/x.tsx).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const root = JSON.parse(readFileSync('package.json', 'utf8'));
const manifests = ['package.json', ...root.workspaces.map((workspace) => join(workspace, 'package.json'))];

/** Every path string in a manifest field (exports may nest conditions and subpaths). */
function* targets(value, where) {
  if (typeof value === 'string') yield { where, path: value };
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) yield* targets(inner, `${where}[${JSON.stringify(key)}]`);
}

/** The sources a built file under dist/ comes from (tsc keeps the layout below src/). */
function sourcesOf(path) {
  const match = /^dist\/(.+?)(\.d)?\.(?:js|mjs|cjs|ts)(\.map)?$/.exec(path);
  if (!match) return [];
  return ['.ts', '.tsx', '.mts'].map((ext) => `src/${match[1]}${ext}`);
}

const problems = [];
for (const manifest of manifests) {
  if (!existsSync(manifest)) {
    problems.push(`${manifest}: the workspace is listed in the root package.json but has no manifest`);
    continue;
  }
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  const dir = dirname(manifest);
  for (const field of ['main', 'module', 'types', 'typings', 'bin', 'exports']) {
    for (const { where, path } of targets(pkg[field], field)) {
      if (path.includes('*')) continue; // subpath patterns name many files
      const relative = normalize(path);
      const exists = existsSync(join(dir, relative)) || sourcesOf(relative).some((source) => existsSync(join(dir, source)));
      if (!exists) problems.push(`${manifest}: ${where} → ${path} does not exist (nor a source the build makes it from)`);
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`check-manifests: ${manifests.length} manifests, every path they name exists`);
