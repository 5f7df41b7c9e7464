import type { Import } from '@passman/contracts';
import { DescriptionList } from '@/components/ui/description-list';
import { t } from '@/i18n';

/** What an import's rows do or did: created, updated, unchanged, skipped, failed. */
export function ImportCounts({ run }: { run: Import }) {
  const { counts } = run;
  return (
    <DescriptionList
      items={[
        { label: t('imports.counts.total'), value: String(counts.total || counts.processed) },
        { label: t('imports.counts.create'), value: String(counts.create) },
        { label: t('imports.counts.update'), value: String(counts.update) },
        { label: t('imports.counts.unchanged'), value: String(counts.unchanged) },
        { label: t('imports.counts.skip'), value: String(counts.skip) },
        { label: t('imports.counts.failed'), value: String(counts.failed) },
      ]}
    />
  );
}
