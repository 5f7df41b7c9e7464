import { Button } from '@/components/ui/button';
import { errorMessage, errorRequestId } from '@/lib/error-message';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';
import { useVerifyAuditChain } from '../api/verify-audit-chain';

/** "Verify chain": recomputes every keyed hash against the signed head and checkpoints; says how many rows were checked, or what was tampered with. */
export function VerifyChain() {
  const verify = useVerifyAuditChain();
  const result = verify.data;
  let message = '';
  if (verify.isError) {
    const id = errorRequestId(verify.error);
    message = `${errorMessage(verify.error)}${id ? ` ${t('errors.requestId', { id })}` : ''}`;
  } else if (result?.ok) message = t('audit.verify.ok', { checked: result.checked });
  else if (result) {
    const seqs = result.problems.slice(0, 5).map((p) => `#${p.seq} (${t(`audit.verify.kind.${p.kind}`)})`);
    message = t('audit.verify.broken', { count: result.problems.length, checked: result.checked, rows: seqs.join(', ') });
    if (result.firstBrokenSeq) message += ` ${t('audit.verify.firstBroken', { seq: result.firstBrokenSeq })}`;
  }
  return (
    <div className="verify-chain">
      <p role="status" className={cx('verify-chain__result', result?.ok && 'is-ok', (verify.isError || (result && !result.ok)) && 'is-bad')}>
        {message}
      </p>
      <Button onClick={() => verify.mutate()} pending={verify.isPending}>
        {t('audit.verify.button')}
      </Button>
    </div>
  );
}
