import { OUTCOME_UNKNOWN } from '@passman/contracts/job-rules';
import { useQuery } from '@tanstack/react-query';
import { getJobs } from './get-jobs';
import { jobKeys, type JobListQuery } from './query-keys';

/**
 * The account's reset that waits for a person to say which secret the target holds (unverified,
 * OUTCOME_UNKNOWN), or null. Its account's status may have moved on since (a Check), so the job
 * is what tells, not the status. `enabled`: false for users who may not list jobs.
 */
export function useUnconfirmedReset(accountId: string, enabled = true) {
  const query: JobListQuery = { accountId, kind: 'RESET', state: 'unverified', limit: 20 };
  const jobs = useQuery({ queryKey: jobKeys.list(query), queryFn: ({ signal }) => getJobs(query, signal), enabled });
  return { ...jobs, job: jobs.data?.items.find((j) => j.errorCode === OUTCOME_UNKNOWN) ?? null };
}
