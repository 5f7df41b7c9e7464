import { VAULT_ACTIONS, type GrantEffect, type GrantInput, type PrincipalType, type VaultAction } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { SelectField } from '@/components/ui/select-field';
import { t } from '@/i18n';
import { actionLabel, effectLabel } from '../labels';

export interface PrincipalChoice {
  id: string;
  name: string;
}

export interface PrincipalChoices {
  groups: readonly PrincipalChoice[];
  /** Undefined when the signed-in user may not list users (only administrators may): groups only then. */
  users?: readonly PrincipalChoice[] | undefined;
}

/** Who, which right, allow or deny: one grant to add to the object's direct grants. */
export function AddGrantForm({ principals, pending, onAdd }: { principals: PrincipalChoices; pending: boolean; onAdd: (grant: GrantInput) => void }) {
  const [who, setWho] = useState('');
  const [action, setAction] = useState<VaultAction>('view');
  const [effect, setEffect] = useState<GrantEffect>('ALLOW');
  const [missing, setMissing] = useState(false);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const [type, id] = who.split(':') as [PrincipalType | '', string | undefined];
    if (!type || !id) {
      setMissing(true);
      return;
    }
    onAdd({ principal: { type, id }, action, effect });
  }

  return (
    <form className="grant-form" onSubmit={submit} noValidate aria-label={t('permissions.add.label')}>
      <Field label={t('permissions.add.who')} error={missing ? t('permissions.add.whoRequired') : undefined} className="grant-form__who">
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            className="field__input field__select"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            value={who}
            onChange={(e) => {
              setWho(e.target.value);
              setMissing(false);
            }}
          >
            <option value="">{t('permissions.add.choose')}</option>
            <optgroup label={t('permissions.add.groups')}>
              {principals.groups.map((g) => (
                <option key={g.id} value={`group:${g.id}`}>
                  {t('permissions.principal.group', { name: g.name })}
                </option>
              ))}
            </optgroup>
            {principals.users && (
              <optgroup label={t('permissions.add.users')}>
                {principals.users.map((u) => (
                  <option key={u.id} value={`user:${u.id}`}>
                    {t('permissions.principal.user', { name: u.name })}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        )}
      </Field>
      <SelectField
        label={t('permissions.add.right')}
        value={action}
        onChange={(e) => setAction(e.target.value as VaultAction)}
        options={VAULT_ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))}
      />
      <SelectField
        label={t('permissions.add.effect')}
        value={effect}
        onChange={(e) => setEffect(e.target.value as GrantEffect)}
        options={(['ALLOW', 'DENY'] as const).map((x) => ({ value: x, label: effectLabel(x) }))}
      />
      <Button type="submit" pending={pending}>
        {t('permissions.add.submit')}
      </Button>
    </form>
  );
}
