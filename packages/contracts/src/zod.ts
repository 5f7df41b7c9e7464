import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every schema in this package carries OpenAPI metadata (`.openapi(...)`).
extendZodWithOpenApi(z);

export { z };
