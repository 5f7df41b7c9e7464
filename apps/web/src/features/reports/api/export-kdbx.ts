import { exportRoutes, type KdbxExportRequest } from '@passman/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { saveFile } from '../save-file';

/**
 * `POST /exports/kdbx`: the secrets in a KeePass file under the password in the body (never in
 * the address). A STEP_UP_REQUIRED answer opens the re-authentication dialog and is sent again.
 */
export async function exportKdbx(request: KdbxExportRequest): Promise<void> {
  const blob = await api.download(exportRoutes.kdbx, { body: request });
  saveFile(blob, `passman-export-${new Date().toISOString().slice(0, 10)}.kdbx`);
}

export function useExportKdbx() {
  return useMutation({ mutationFn: exportKdbx });
}
