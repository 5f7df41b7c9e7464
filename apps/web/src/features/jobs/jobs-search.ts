import { z } from '@passman/contracts';
import { oneOf, pageSizeParam, pagesParam } from '@/lib/url-state';
import { JOB_KINDS, JOB_STATES } from './job-labels';

/** The Jobs tab's address: `?state=&kind=&size=&pages=`. */
export const jobsSearchSchema = z.object({ state: oneOf(JOB_STATES), kind: oneOf(JOB_KINDS), size: pageSizeParam, pages: pagesParam });
export type JobsSearch = z.infer<typeof jobsSearchSchema>;
