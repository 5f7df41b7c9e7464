import type { ReportName } from '@passman/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { saveFile } from '../save-file';
import { REPORT_ROUTES } from './get-report';
import type { ReportQuery } from './query-keys';

/** `GET /reports/{name}` with `Accept: text/csv`: every row the filters match, saved as a file. */
export async function downloadReport(name: ReportName, query: ReportQuery): Promise<void> {
  const { limit: _limit, cursor: _cursor, ...filters } = query;
  const route = REPORT_ROUTES[name] as (typeof REPORT_ROUTES)['activity'];
  const blob = await api.download(route, { query: filters as never, headers: { Accept: 'text/csv' } });
  saveFile(blob, `passman-${name}-${new Date().toISOString().slice(0, 10)}.csv`);
}

export function useDownloadReport() {
  return useMutation({ mutationFn: ({ name, query }: { name: ReportName; query: ReportQuery }) => downloadReport(name, query) });
}
