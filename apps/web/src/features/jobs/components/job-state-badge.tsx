import type { JobState } from '@passman/contracts';
import { hasJobEnded } from '@passman/contracts/limits';
import { Badge } from '@/components/ui/badge';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { jobStateTone } from '../job-labels';

export function JobStateBadge({ state }: { state: JobState }) {
  return (
    <Badge tone={jobStateTone[state]}>
      {!hasJobEnded({ state }) && <Spinner size="sm" />}
      {t(`jobs.state.${state}`)}
    </Badge>
  );
}
