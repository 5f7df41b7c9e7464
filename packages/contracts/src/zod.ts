import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every schema in this package carries OpenAPI metadata (`.openapi(...)`). The extension reads
// only `ZodType`; handing it the whole `z` namespace would keep all of zod (its locales too) in
// the web's bundle, which tree-shakes what it does not use.
extendZodWithOpenApi({ ZodType: z.ZodType } as typeof z);

export { z };
