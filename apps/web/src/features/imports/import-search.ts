import { z } from '@passman/contracts';

/** The Import page's address: `?import=<id>` once a run started, so a reload follows its progress. */
export const importSearchSchema = z.object({
  import: z.uuid().optional().catch(undefined),
});
export type ImportSearch = z.infer<typeof importSearchSchema>;
