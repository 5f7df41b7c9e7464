import { z } from '@passman/contracts';
import { oneOf, pageSizeParam, pagesParam } from '@/lib/url-state';
import { JOB_KINDS, JOB_STATES } from './job-labels';

/** The Jobs tab's address: `?state=&kind=&since=&size=&pages=` (`since`: only jobs created then or later, as the dashboard links). */
export const jobsSearchSchema = z.object({
  state: oneOf(JOB_STATES),
  kind: oneOf(JOB_KINDS),
  since: z.iso.datetime().optional().catch(undefined),
  size: pageSizeParam,
  pages: pagesParam,
});
export type JobsSearch = z.infer<typeof jobsSearchSchema>;
