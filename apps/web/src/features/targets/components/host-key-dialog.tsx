import type { Target } from '@passman/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useApproveHostKey } from '../api/approve-host-key';
import { useCan } from '@/features/auth/use-permission';
import { useTarget } from '../api/get-target';
import { useScanHostKey } from '../api/scan-host-key';

/**
 * Host-key approval: scan what the target offers (no credential is sent), compare the SHA256
 * fingerprint with the host's own (`ssh-keygen -lf`), then pin it. Only pinned keys are trusted.
 */
export function HostKeyDialog({ target: initial, onClose }: { target: Target; onClose: () => void }) {
  const { data: target = initial } = useTarget(initial.id, initial);
  const can = useCan();
  const scan = useScanHostKey();
  const approve = useApproveHostKey();
  // Only a key offered at the target's current address can be approved (the server checks it too).
  const seenHere = (k: Target['hostKeys'][number]) => k.seenAt?.address === target.address && k.seenAt.port === target.port;
  const pending = target.hostKeys.find((k) => k.status === 'PENDING' && seenHere(k));
  const approved = target.hostKeys.find((k) => k.status === 'APPROVED');
  const scanned = scan.data && scan.data.status !== 'APPROVED' ? scan.data : pending;
  // Once approved, the scanned key is the approved one: it is no longer on offer.
  const offered = scanned && scanned.fingerprint !== approved?.fingerprint ? scanned : undefined;
  // Pinned once, unpinned since: the target's address or port changed.
  const moved = !approved && target.hostKeys.some((k) => k.status === 'PENDING' && k.approvedAt !== null);

  return (
    <Dialog
      title={t('hostKey.title', { name: target.name })}
      description={t('hostKey.description', { address: `${target.address}:${target.port}` })}
      onClose={onClose}
      footer={
        <>
          <Button onClick={() => scan.mutate(target.id)} pending={scan.isPending}>
            {t('hostKey.scan')}
          </Button>
          <Button variant="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        </>
      }
    >
      <div className="form">
        {approved ? (
          <div className="fingerprint-box is-approved">
            <p className="fingerprint-box__label">
              <Badge tone="success">{t('targets.hostKey.approved')}</Badge> {approved.algorithm}
            </p>
            <p className="fingerprint" data-testid="approved-fingerprint">
              {approved.fingerprint}
            </p>
            <p className="muted">{t('hostKey.approvedAt', { at: formatDateTime(approved.approvedAt) })}</p>
          </div>
        ) : (
          !offered && <p className="muted">{t('hostKey.noneYet')}</p>
        )}
        {moved && <Alert tone="warning">{t('hostKey.addressChanged')}</Alert>}
        {offered && (
          <div className="fingerprint-box">
            <p className="fingerprint-box__label">
              <Badge tone="warning">{t('targets.hostKey.pending')}</Badge> {offered.algorithm}
            </p>
            <p className="fingerprint" data-testid="offered-fingerprint">
              {offered.fingerprint}
            </p>
            <Alert tone="info">{t('hostKey.compare')}</Alert>
            {can('targets.trust') ? (
              <div>
                <Button variant="primary" pending={approve.isPending} onClick={() => approve.mutate({ targetId: target.id, fingerprint: offered.fingerprint })}>
                  {t('hostKey.approve')}
                </Button>
              </div>
            ) : (
              <p className="muted">{t('hostKey.needsTrust')}</p>
            )}
          </div>
        )}
        {scan.data?.status === 'APPROVED' && <p role="status">{t('hostKey.scanMatches')}</p>}
        {approve.isSuccess && !offered && <p role="status">{t('hostKey.approvedNow')}</p>}
        {scan.isError && <FormAlert error={scan.error} />}
        {approve.isError && <FormAlert error={approve.error} />}
      </div>
    </Dialog>
  );
}
