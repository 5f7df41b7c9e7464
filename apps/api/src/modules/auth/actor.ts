// The request's actor and context live in lib/actor.ts (every layer needs them, not only auth).
// This re-export only serves the jobs/ and schedule/ modules until they import lib/actor.ts.
export { systemContext, type Actor, type RequestContext } from '../../lib/actor.js';
