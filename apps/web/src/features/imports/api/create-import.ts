import { importRoutes, type Import, type ImportFormat, type ImportMapping } from '@passman/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export interface ImportInput {
  file: File;
  format?: ImportFormat | undefined;
  folderId?: string | undefined;
  mapping: ImportMapping;
  kdbxPassword?: string | undefined;
  dryRun: boolean;
}

/** `POST /imports` (multipart): a dry run (done when it answers) or the real run (follow it with `useImport`). */
export function createImport(input: ImportInput): Promise<Import> {
  const form = new FormData();
  if (input.format) form.set('format', input.format);
  if (input.folderId) form.set('folderId', input.folderId);
  if (Object.keys(input.mapping).length > 0) form.set('mapping', JSON.stringify(input.mapping));
  if (input.kdbxPassword) form.set('kdbxPassword', input.kdbxPassword);
  form.set('dryRun', String(input.dryRun));
  form.set('file', input.file, input.file.name);
  return api.call(importRoutes.create, { form });
}

export const useCreateImport = () => useMutation({ mutationFn: createImport });
