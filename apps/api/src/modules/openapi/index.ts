/** The OpenAPI document and its viewer. */
export { openApiRouter } from './openapi.routes.js';
