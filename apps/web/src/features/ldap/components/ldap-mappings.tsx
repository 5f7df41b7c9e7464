import { ROLES, type LdapGroupMapping, type LdapRoleMapping, type RoleName } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { SelectField, type SelectOption } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';

const roleOptions: SelectOption[] = ROLES.map((role) => ({ value: role, label: role }));

/** Directory group → PassMan role, first match wins. */
export function RoleMappings({
  value,
  onChange,
  errors,
}: {
  value: LdapRoleMapping[];
  onChange: (next: LdapRoleMapping[]) => void;
  errors: Record<string, string>;
}) {
  const set = (i: number, patch: Partial<LdapRoleMapping>) => onChange(value.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <fieldset className="form">
      <legend className="section-title">{t('ldap.roleMappings')}</legend>
      <p className="field__hint">{t('ldap.roleMappings.hint')}</p>
      {value.map((mapping, i) => (
        <div key={i} className="toolbar">
          <TextField
            label={t('ldap.mapping.group', { n: i + 1 })}
            value={mapping.group}
            onChange={(e) => set(i, { group: e.target.value })}
            error={errors[`roleMappings.${i}.group`]}
          />
          <SelectField
            label={t('ldap.mapping.role', { n: i + 1 })}
            options={roleOptions}
            value={mapping.role}
            onChange={(e) => set(i, { role: e.target.value as RoleName })}
          />
          <Button onClick={() => onChange(value.filter((_, j) => j !== i))}>{t('ldap.mapping.remove', { n: i + 1 })}</Button>
        </div>
      ))}
      <div>
        <Button onClick={() => onChange([...value, { group: '', role: 'operator' }])}>{t('ldap.roleMappings.add')}</Button>
      </div>
    </fieldset>
  );
}

/** Directory group → PassMan group: membership follows the directory. */
export function GroupMappings({
  value,
  onChange,
  groups,
  errors,
}: {
  value: LdapGroupMapping[];
  onChange: (next: LdapGroupMapping[]) => void;
  groups: { id: string; name: string }[];
  errors: Record<string, string>;
}) {
  const set = (i: number, patch: Partial<LdapGroupMapping>) => onChange(value.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const options: SelectOption[] = groups.map((g) => ({ value: g.id, label: g.name }));
  return (
    <fieldset className="form">
      <legend className="section-title">{t('ldap.groupMappings')}</legend>
      <p className="field__hint">{t('ldap.groupMappings.hint')}</p>
      {value.map((mapping, i) => (
        <div key={i} className="toolbar">
          <TextField
            label={t('ldap.mapping.group', { n: i + 1 })}
            value={mapping.group}
            onChange={(e) => set(i, { group: e.target.value })}
            error={errors[`groupMappings.${i}.group`]}
          />
          <SelectField
            label={t('ldap.mapping.passmanGroup', { n: i + 1 })}
            options={options}
            value={mapping.groupId}
            onChange={(e) => set(i, { groupId: e.target.value })}
            error={errors[`groupMappings.${i}.groupId`]}
          />
          <Button onClick={() => onChange(value.filter((_, j) => j !== i))}>{t('ldap.mapping.remove', { n: i + 1 })}</Button>
        </div>
      ))}
      <div>
        <Button disabled={groups.length === 0} onClick={() => onChange([...value, { group: '', groupId: groups[0]!.id }])}>
          {t('ldap.groupMappings.add')}
        </Button>
      </div>
    </fieldset>
  );
}
