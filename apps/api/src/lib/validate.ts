import type { z } from '@passman/contracts';
import { AppError, type FieldIssue } from './app-error.js';

/** Parses input with a contract schema; on failure throws VALIDATION_FAILED listing every issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldIssue[] = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
  throw new AppError('VALIDATION_FAILED', `The request ${where} is invalid (${errors.length} issue${errors.length === 1 ? '' : 's'})`, {
    errors,
  });
}
