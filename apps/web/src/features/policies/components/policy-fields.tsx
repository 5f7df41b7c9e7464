import type { SshKeyType } from '@passman/contracts';
import { DEFAULT_RSA_BITS, isWeakSshKey, RSA_GENERATION_BITS, SSH_KEY_BITS, SSH_KEY_TYPES } from '@passman/contracts/limits';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { t } from '@/i18n';
import type { PolicyDraft } from '../policy-draft';

const CLASSES = [
  ['Lowercase', 'useLowercase', 'minLowercase'],
  ['Uppercase', 'useUppercase', 'minUppercase'],
  ['Digits', 'useDigits', 'minDigits'],
  ['Symbols', 'useSymbols', 'minSymbols'],
] as const;

type Change = (changes: Partial<PolicyDraft>) => void;

/** A number input whose empty value means null ("no limit"). */
function NumberField({
  label,
  value,
  onChange,
  error,
  hint,
  nullable,
}: {
  label: string;
  value: number | null;
  onChange: (v: number | null) => void;
  error?: string | undefined;
  hint?: string;
  nullable?: boolean;
}) {
  return (
    <TextField
      label={label}
      hint={hint}
      inputMode="numeric"
      value={value === null ? '' : String(value)}
      error={error}
      onChange={(e) => {
        const text = e.target.value.trim();
        onChange(text === '' && nullable ? null : Number.isNaN(Number(text)) ? 0 : Number(text));
      }}
    />
  );
}

/** Every field of a policy, in the groups an operator thinks in. */
export function PolicyFields({ draft, onChange, errors }: { draft: PolicyDraft; onChange: Change; errors: Record<string, string | undefined> }) {
  return (
    <>
      <fieldset className="fieldset">
        <legend>{t('policies.form.general')}</legend>
        <TextField
          label={t('policies.form.name')}
          value={draft.name}
          data-autofocus
          maxLength={100}
          error={errors.name}
          onChange={(e) => onChange({ name: e.target.value })}
        />
        <TextareaField label={t('policies.form.description')} value={draft.description} rows={2} onChange={(e) => onChange({ description: e.target.value })} />
        <CheckboxField label={t('policies.form.isDefault')} checked={draft.isDefault} onChange={(e) => onChange({ isDefault: e.target.checked })} />
      </fieldset>
      <fieldset className="fieldset fieldset--grid">
        <legend>{t('policies.form.password')}</legend>
        <NumberField
          label={t('policies.form.passwordLength')}
          value={draft.passwordLength}
          error={errors.passwordLength}
          onChange={(v) => onChange({ passwordLength: v ?? 0 })}
        />
        <TextField
          label={t('policies.form.excludedChars')}
          value={draft.excludedChars}
          error={errors.excludedChars}
          spellCheck={false}
          onChange={(e) => onChange({ excludedChars: e.target.value })}
        />
        {CLASSES.map(([name, use, min]) => (
          <div key={name} className="class-rule">
            <CheckboxField
              label={t(`policies.form.use${name}`)}
              checked={draft[use]}
              onChange={(e) => onChange({ [use]: e.target.checked, ...(e.target.checked ? {} : { [min]: 0 }) })}
            />
            <NumberField
              label={t('policies.form.minimum')}
              value={draft[min]}
              error={errors[min] ?? errors[use]}
              onChange={(v) => onChange({ [min]: v ?? 0 })}
            />
          </div>
        ))}
        <CheckboxField
          label={t('policies.form.avoidAmbiguous')}
          checked={draft.avoidAmbiguous}
          onChange={(e) => onChange({ avoidAmbiguous: e.target.checked })}
        />
      </fieldset>
      <fieldset className="fieldset fieldset--grid">
        <legend>{t('policies.form.pinAndKeys')}</legend>
        <NumberField label={t('policies.form.pinLength')} value={draft.pinLength} error={errors.pinLength} onChange={(v) => onChange({ pinLength: v ?? 0 })} />
        <SelectField
          label={t('policies.form.sshKeyType')}
          value={draft.sshKeyType}
          onChange={(e) => onChange({ sshKeyType: e.target.value as SshKeyType, sshKeyBits: null })}
          options={SSH_KEY_TYPES.map((k) => ({ value: k, label: isWeakSshKey(k, SSH_KEY_BITS[k][0] ?? 0) ? t('credentials.weakKeyType', { keyType: k }) : k }))}
        />
        {SSH_KEY_BITS[draft.sshKeyType].length > 1 && (
          <SelectField
            label={t('policies.form.sshKeyBits')}
            value={String(draft.sshKeyBits ?? '')}
            error={errors.sshKeyBits}
            onChange={(e) => onChange({ sshKeyBits: e.target.value ? Number(e.target.value) : null })}
            options={[
              { value: '', label: t('policies.form.defaultBits', { bits: DEFAULT_RSA_BITS }) },
              ...RSA_GENERATION_BITS.map((b) => ({ value: String(b), label: String(b) })),
            ]}
          />
        )}
      </fieldset>
      <fieldset className="fieldset fieldset--grid">
        <legend>{t('policies.form.rotationAndCheckout')}</legend>
        <NumberField
          label={t('policies.form.rotationDays')}
          hint={t('policies.form.rotationHint')}
          nullable
          value={draft.rotationIntervalDays}
          error={errors.rotationIntervalDays}
          onChange={(v) => onChange({ rotationIntervalDays: v })}
        />
        <NumberField
          label={t('policies.form.checkoutMaxMinutes')}
          hint={t('policies.form.emptyMeansNone')}
          nullable
          value={draft.checkoutMaxMinutes}
          error={errors.checkoutMaxMinutes}
          onChange={(v) => onChange({ checkoutMaxMinutes: v })}
        />
        <CheckboxField
          label={t('policies.form.checkoutExclusive')}
          checked={draft.checkoutExclusive}
          onChange={(e) => onChange({ checkoutExclusive: e.target.checked })}
        />
        <CheckboxField
          label={t('policies.form.resetAfterCheckin')}
          checked={draft.resetAfterCheckin}
          onChange={(e) => onChange({ resetAfterCheckin: e.target.checked })}
        />
      </fieldset>
    </>
  );
}
