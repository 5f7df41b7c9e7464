import type { ComponentProps } from 'react';
import { cx } from '@/lib/cx';
import { Icon, type IconName } from './icon';

export interface IconButtonProps extends Omit<ComponentProps<'button'>, 'children'> {
  icon: IconName;
  /** The accessible name (also the tooltip). */
  label: string;
  size?: 'md' | 'sm';
}

/** A square button showing only an icon; `label` names it for everyone. */
export function IconButton({ icon, label, size = 'md', type = 'button', className, ...rest }: IconButtonProps) {
  return (
    <button {...rest} type={type} aria-label={label} title={label} className={cx('icon-btn', size === 'sm' && 'icon-btn--sm', className)}>
      <Icon name={icon} />
    </button>
  );
}
