import { ROLES, type MfaPolicy, type RoleName } from '@passman/contracts';
import { useId, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { FormAlert } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { roleLabel } from '@/features/auth/role-label';
import { t } from '@/i18n';
import { useMfaPolicy, useSetMfaPolicy } from '../api/mfa';

/** Who must use a second factor (administrators: users.manage). Groups are chosen from `groups`. */
export function MfaPolicyForm({ groups }: { groups: { id: string; name: string }[] | undefined }) {
  const policy = useMfaPolicy(true);
  if (!policy.data) return null;
  const { mode, roles, groupIds, graceDays } = policy.data;
  return <PolicyEditor initial={{ mode, roles, groupIds, graceDays }} groups={groups} />;
}

function PolicyEditor({ initial, groups }: { initial: MfaPolicy; groups: { id: string; name: string }[] | undefined }) {
  const headingId = useId();
  const save = useSetMfaPolicy();
  const [draft, setDraft] = useState<MfaPolicy>(initial);
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

  return (
    <section className="history-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="section-title">
        {t('mfa.policy.heading')}
      </h3>
      <p>{t('mfa.policy.intro')}</p>
      <form
        className="mfa-policy-form"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(draft);
        }}
      >
        <SelectField
          label={t('mfa.policy.mode')}
          value={draft.mode}
          onChange={(e) => setDraft({ ...draft, mode: e.target.value as MfaPolicy['mode'] })}
          options={[
            { value: 'off', label: t('mfa.policy.mode.off') },
            { value: 'everyone', label: t('mfa.policy.mode.everyone') },
            { value: 'selected', label: t('mfa.policy.mode.selected') },
          ]}
        />
        {draft.mode === 'selected' && (
          <>
            <fieldset>
              <legend>{t('mfa.policy.roles')}</legend>
              {ROLES.map((role: RoleName) => (
                <CheckboxField
                  key={role}
                  label={roleLabel(role)}
                  checked={draft.roles.includes(role)}
                  onChange={() => setDraft({ ...draft, roles: toggle(draft.roles, role) })}
                />
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('mfa.policy.groups')}</legend>
              {(groups ?? []).map((group) => (
                <CheckboxField
                  key={group.id}
                  label={group.name}
                  checked={draft.groupIds.includes(group.id)}
                  onChange={() => setDraft({ ...draft, groupIds: toggle(draft.groupIds, group.id) })}
                />
              ))}
            </fieldset>
          </>
        )}
        <TextField
          label={t('mfa.policy.graceDays')}
          type="number"
          min={0}
          max={90}
          value={draft.graceDays}
          onChange={(e) => setDraft({ ...draft, graceDays: Math.max(0, Math.min(90, Number(e.target.value) || 0)) })}
        />
        <Button type="submit" variant="primary" pending={save.isPending}>
          {t('mfa.policy.save')}
        </Button>
        {save.isSuccess && <Alert tone="success">{t('mfa.policy.saved')}</Alert>}
        {save.isError && <FormAlert error={save.error} />}
      </form>
    </section>
  );
}
