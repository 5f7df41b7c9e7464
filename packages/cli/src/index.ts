export { runCli } from './program.js';
export { checkOutcome } from './commands/job-results.js';
export type { CliIo } from './context.js';
export { EXIT, CliError, describeFailure } from './exit-codes.js';
export { connectionOptions, type ConnectionFlags } from './config.js';
