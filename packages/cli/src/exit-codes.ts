import { AuthenticationError, ConflictError, NetworkError, NotFoundError, PermissionError, UnavailableError, ValidationError } from '@passman/sdk';

/** The exit codes a pipeline branches on; every command keeps to them. */
export const EXIT = {
  OK: 0,
  /** The check ran and the account is not InSync (or the job failed). */
  NOT_IN_SYNC: 1,
  /** The command line is wrong, or names something that is not there. */
  USAGE: 2,
  /** No valid token or session, or not allowed. */
  AUTH: 3,
  /** PassMan cannot be reached, its certificate is refused, or it cannot serve now. */
  UNREACHABLE: 4,
  /** Anything else: a conflict, a timeout, a server fault. */
  FAILED: 5,
} as const;

/** An error the CLI raises itself, with its exit code and the one line to print. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code and the one line saying why, for any error a command ends with. */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof NetworkError) return { exitCode: EXIT.UNREACHABLE, message: `${error.detail ?? 'PassMan could not be reached'} (${error.code})` };
  if (error instanceof UnavailableError)
    return { exitCode: EXIT.UNREACHABLE, message: `PassMan cannot serve now: ${error.detail ?? error.title ?? ''} (${error.code})` };
  if (error instanceof AuthenticationError) return { exitCode: EXIT.AUTH, message: `not authenticated: ${error.detail ?? error.title ?? ''} (${error.code})` };
  if (error instanceof PermissionError) return { exitCode: EXIT.AUTH, message: `not allowed: ${error.detail ?? error.title ?? ''} (${error.code})` };
  if (error instanceof NotFoundError) return { exitCode: EXIT.USAGE, message: `${error.detail ?? 'not found'} (${error.code})` };
  if (error instanceof ValidationError) {
    const fields = error.errors.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return { exitCode: EXIT.USAGE, message: `refused: ${fields || error.detail || error.title} (${error.code})` };
  }
  if (error instanceof ConflictError) {
    // A conflict's reason (NOT_AWAITING_CONFIRMATION, ACCOUNT_BUSY …) says more than CONFLICT alone.
    const reason = typeof error.extensions.reason === 'string' ? `: ${error.extensions.reason}` : '';
    return { exitCode: EXIT.FAILED, message: `${error.detail ?? error.title ?? 'conflict'} (${error.code}${reason})` };
  }
  if (error instanceof TypeError) return { exitCode: EXIT.USAGE, message: error.message };
  const coded = error as { code?: unknown; message?: unknown };
  const code = typeof coded.code === 'string' ? ` (${coded.code})` : '';
  return { exitCode: EXIT.FAILED, message: `${typeof coded.message === 'string' ? coded.message : String(error)}${code}` };
}
