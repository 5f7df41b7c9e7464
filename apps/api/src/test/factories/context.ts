import type { RequestContext } from '../../lib/actor.js';
import { unique } from '../ids.js';

/**
 * The context factories act in: no actor, as PassMan's own start-up work does. Rows made this way
 * pass the same service rules and leave the same audit events as rows made over the API.
 */
export const factoryContext = (): RequestContext => ({ requestId: unique('factory'), ip: null, userAgent: null, actor: null });

/**
 * Splits overrides into the fields `accepted` by a create request and the rest: state no request
 * sets (statuses a job writes, timestamps), which a factory writes after creating the row.
 */
export function splitOverrides<T extends object>(overrides: T, accepted: readonly string[]): { request: Partial<T>; state: Partial<T> } {
  const request: Partial<T> = {};
  const state: Partial<T> = {};
  for (const [key, value] of Object.entries(overrides) as [keyof T, T[keyof T]][]) {
    if (accepted.includes(key as string)) request[key] = value;
    else state[key] = value;
  }
  return { request, state };
}
