// `npm run docs:cli`: writes docs/cli.md from the CLI's own help.
import { writeFileSync } from 'node:fs';
import { cliReference } from '../../packages/cli/src/reference.js';

writeFileSync(new URL('../../docs/cli.md', import.meta.url), cliReference());
console.log('docs/cli.md written');
