import { exportRoutes } from '@passman/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { saveFile } from '../save-file';

export interface ExportFilter {
  folderId?: string | undefined;
  recursive?: 'false' | undefined;
  q?: string | undefined;
}

/** `GET /exports/metadata`: targets, accounts, status, compliance and last change as CSV, saved as a file. */
export async function exportMetadata(filter: ExportFilter): Promise<void> {
  const blob = await api.download(exportRoutes.metadata, { query: filter, headers: { Accept: 'text/csv' } });
  saveFile(blob, `passman-accounts-${new Date().toISOString().slice(0, 10)}.csv`);
}

export function useExportMetadata() {
  return useMutation({ mutationFn: exportMetadata });
}
