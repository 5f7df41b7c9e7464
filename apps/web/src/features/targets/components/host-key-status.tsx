import type { Target } from '@passman/contracts';
import { Badge } from '@/components/ui/badge';
import { t } from '@/i18n';

/** Approved (with its fingerprint on hover), pending approval, or not scanned yet. */
export function HostKeyStatus({ target }: { target: Target }) {
  const approved = target.hostKeys.find((k) => k.status === 'APPROVED');
  if (approved) {
    return (
      <span className="host-key" title={`${approved.algorithm} ${approved.fingerprint}`}>
        <Badge tone="success">{t('targets.hostKey.approved')}</Badge>
      </span>
    );
  }
  if (target.hostKeys.some((k) => k.status === 'PENDING')) return <Badge tone="warning">{t('targets.hostKey.pending')}</Badge>;
  return <Badge>{t('targets.hostKey.none')}</Badge>;
}
