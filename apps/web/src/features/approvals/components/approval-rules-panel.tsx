import { APPROVAL_ACTIONS, type ApprovalAction } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { FormAlert } from '@/components/ui/form-alert';
import { Spinner } from '@/components/ui/spinner';
import { ErrorState } from '@/components/ui/error-state';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { useApprovalRules, useSetApprovalRules } from '../api/approval-rules';

type Draft = Record<ApprovalAction, { on: boolean; minutes: string }>;

/**
 * The Approvals tab of a folder's or an account's window: which actions need an approval here
 * (set on it, or inherited from a folder above), and, for those who manage its permissions, the
 * form that sets its own rules. Removing or loosening a rule needs an administrator (the API says so).
 */
export function ApprovalRulesPanel({ object, canEdit }: { object: { type: 'folder' | 'account'; id: string; name: string }; canEdit: boolean }) {
  const rules = useApprovalRules(object);
  const save = useSetApprovalRules(object);
  const [draft, setDraft] = useState<Draft | null>(null);

  if (rules.isPending) return <Spinner />;
  if (rules.isError) return <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />;

  const inherited = rules.data.rules.filter((r) => r.inherited);
  const own = rules.data.rules.filter((r) => !r.inherited);
  const current: Draft = draft ?? {
    checkout: { on: own.some((r) => r.action === 'checkout'), minutes: String(own.find((r) => r.action === 'checkout')?.maxMinutes ?? 60) },
    reset: { on: own.some((r) => r.action === 'reset'), minutes: String(own.find((r) => r.action === 'reset')?.maxMinutes ?? 60) },
  };
  const update = (action: ApprovalAction, change: Partial<Draft[ApprovalAction]>) => setDraft({ ...current, [action]: { ...current[action], ...change } });

  function submit(event: FormEvent): void {
    event.preventDefault();
    const next = APPROVAL_ACTIONS.filter((a) => current[a].on).map((action) => ({ action, maxMinutes: Number(current[action].minutes) }));
    save.mutate({ rules: next }, { onSuccess: () => setDraft(null) });
  }

  return (
    <div className="approval-rules">
      <h3>{t('approvals.rules.heading')}</h3>
      {rules.data.rules.length === 0 ? (
        <p className="muted">{t('approvals.rules.none')}</p>
      ) : (
        <ul>
          {[...own, ...inherited].map((r) => (
            <li key={`${r.object.id}:${r.action}`}>
              {t(r.inherited ? 'approvals.rules.inherited' : 'approvals.rules.own', {
                action: t(`approvals.rules.action.${r.action}`),
                minutes: r.maxMinutes,
                from: r.object.name,
              })}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form className="form" aria-label={t('approvals.rules.formLabel', { name: object.name })} onSubmit={submit} noValidate>
          {APPROVAL_ACTIONS.map((action) => (
            <div key={action} className="approval-rules__row">
              <CheckboxField
                label={t(`approvals.rules.need.${action}`)}
                checked={current[action].on}
                onChange={(e) => update(action, { on: e.target.checked })}
              />
              {current[action].on && (
                <TextField
                  label={t('approvals.rules.maxMinutes', { action: t(`approvals.rules.action.${action}`) })}
                  type="number"
                  min={1}
                  value={current[action].minutes}
                  onChange={(e) => update(action, { minutes: e.target.value })}
                />
              )}
            </div>
          ))}
          {save.isError && <FormAlert error={save.error} />}
          {save.isSuccess && !draft && <p role="status">{t('approvals.rules.saved')}</p>}
          <div className="dialog__inline-footer">
            <Button type="submit" variant="primary" pending={save.isPending}>
              {t('approvals.rules.save')}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
