import { exportRoutes } from '@passman/contracts';
import { bind, type Binding } from '../../http/bind-routes.js';
import { CSV_COLUMNS, sendCsv, type ReportsService } from '../reports/index.js';
import type { ExportsService } from './exports.service.js';

export function exportBindings(deps: { exports: ExportsService; reports: ReportsService }): Binding[] {
  return [
    // CSV unless JSON is asked for by name: this is a file to download.
    bind(exportRoutes.metadata, async ({ ctx, query, req, res }) => {
      const batches = await deps.reports.rows(ctx, 'accounts', query);
      if (req.accepts(['text/csv', 'application/json']) === 'application/json') {
        const items = [];
        for await (const rows of batches) items.push(...rows);
        return { items } as never;
      }
      await sendCsv(res, `passman-accounts-${new Date().toISOString().slice(0, 10)}.csv`, CSV_COLUMNS.accounts, batches);
      return undefined as never;
    }),
    bind(exportRoutes.kdbx, async ({ ctx, body, res }) => {
      const { file } = await deps.exports.kdbx(ctx, body);
      res.status(200);
      res.setHeader('Content-Type', 'application/x-keepass2');
      res.setHeader('Content-Disposition', `attachment; filename="passman-export-${new Date().toISOString().slice(0, 10)}.kdbx"`);
      res.setHeader('Cache-Control', 'no-store');
      res.end(file);
    }),
  ];
}
