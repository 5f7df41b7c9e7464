import { VAULT_ACTIONS, type GrantEffect, type GrantInput, type PrincipalType, type VaultAction } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { choicesStatus, Combobox, type ComboboxOption } from '@/components/ui/combobox';
import { SelectField } from '@/components/ui/select-field';
import { t } from '@/i18n';
import { actionLabel, effectLabel, principalLabel } from '../labels';

export interface PrincipalChoice {
  id: string;
  name: string;
  /** A second, quieter text, e.g. a user's display name. */
  detail?: string | undefined;
}

/** Whom a grant may name, found by what is typed (the caller searches: groups and users are other features). */
export interface PrincipalChoices {
  text: string;
  onTextChange: (text: string) => void;
  /** The first groups whose name contains the text. */
  groups: readonly PrincipalChoice[];
  /** The first users whose name contains it; undefined when the signed-in user may not list users (only administrators may): groups only then. */
  users?: readonly PrincipalChoice[] | undefined;
  /** More match than are offered. */
  more: boolean;
  searching: boolean;
  error: unknown;
}

interface Picked {
  type: PrincipalType;
  id: string;
  label: string;
}

const principalOption = (type: PrincipalType, p: PrincipalChoice): ComboboxOption => ({
  value: `${type}:${p.id}`,
  label: principalLabel({ type, name: p.name }),
  detail: p.detail,
  group: t(type === 'group' ? 'permissions.add.groups' : 'permissions.add.users'),
});

/** Who, which right, allow or deny: one grant to add to the object's direct grants. */
export function AddGrantForm({ principals, pending, onAdd }: { principals: PrincipalChoices; pending: boolean; onAdd: (grant: GrantInput) => void }) {
  const [who, setWho] = useState<Picked | null>(null);
  const [action, setAction] = useState<VaultAction>('view');
  const [effect, setEffect] = useState<GrantEffect>('ALLOW');
  const [missing, setMissing] = useState(false);
  const options = [...principals.groups.map((g) => principalOption('group', g)), ...(principals.users ?? []).map((u) => principalOption('user', u))];

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!who) {
      setMissing(true);
      return;
    }
    onAdd({ principal: { type: who.type, id: who.id }, action, effect });
  }

  return (
    <form className="grant-form" onSubmit={submit} noValidate aria-label={t('permissions.add.label')}>
      <Combobox
        className="grant-form__who"
        label={t('permissions.add.who')}
        placeholder={t(principals.users ? 'permissions.add.searchPlaceholder' : 'permissions.add.searchGroupsPlaceholder')}
        maxLength={100}
        error={missing ? t('permissions.add.whoRequired') : undefined}
        inputValue={who ? who.label : principals.text}
        onInputChange={(text) => {
          setWho(null);
          principals.onTextChange(text);
        }}
        options={options}
        onSelect={(option) => {
          const [type, id] = option.value.split(':') as [PrincipalType, string];
          setWho({ type, id, label: option.label });
          setMissing(false);
        }}
        busy={principals.searching}
        status={choicesStatus({
          searching: principals.searching,
          error: principals.error,
          shown: options.length,
          more: principals.more,
          none: t(principals.users ? 'permissions.add.noMatch' : 'permissions.add.noGroupMatch'),
        })}
      />
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
