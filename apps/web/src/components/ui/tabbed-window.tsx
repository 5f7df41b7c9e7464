import type { ReactNode } from 'react';
import { t } from '@/i18n';
import { Button } from './button';
import { Dialog, type DialogProps } from './dialog';
import { PanelTabs, type PanelTab } from './panel-tabs';

/** A window whose body is tabs (Details, Permissions …) and whose footer is one Close button. */
export function TabbedWindow({
  size,
  title,
  description,
  onClose,
  tabsLabel,
  tabs,
  selectedId,
  onSelect,
  children,
}: Pick<DialogProps, 'size' | 'title' | 'description'> & {
  onClose: () => void;
  tabsLabel: string;
  tabs: readonly PanelTab[];
  selectedId: string;
  onSelect: (id: string) => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      size={size}
      title={title}
      description={description}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <PanelTabs label={tabsLabel} tabs={tabs} selectedId={selectedId} onSelect={onSelect}>
        {children}
      </PanelTabs>
    </Dialog>
  );
}
