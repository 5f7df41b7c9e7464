export { runCli, checkOutcome, type CliIo } from './program.js';
export { EXIT, CliError, describeFailure } from './exit-codes.js';
export { connectionOptions, type ConnectionFlags } from './config.js';
