import { reportRoutes, type ReportName } from '@passman/contracts';
import type { Request, Response } from 'express';
import { bind, type Binding } from '../../http/bind-routes.js';
import type { RequestContext } from '../../lib/actor.js';
import { sendCsv, wantsCsv } from './csv.js';
import { CSV_COLUMNS } from './reports.columns.js';
import type { ReportsService } from './reports.service.js';

type Query = Parameters<ReportsService['page']>[2];

/** JSON a page at a time, or, for `Accept: text/csv`, every row as one streamed CSV file (the cursor and limit then do not apply). */
export async function answerReport<T>(
  reports: ReportsService,
  kind: ReportName,
  input: { ctx: RequestContext; query: Query; req: Request; res: Response },
): Promise<T> {
  // The rows are the repo's, already in the contract's shape (the test harness validates every answer against it).
  if (!wantsCsv((types) => input.req.accepts(types))) return (await reports.page(input.ctx, kind, input.query)) as T;
  const { limit: _limit, cursor: _cursor, ...filter } = input.query;
  const batches = await reports.rows(input.ctx, kind, filter);
  await sendCsv(input.res, `passman-${kind}-${new Date().toISOString().slice(0, 10)}.csv`, CSV_COLUMNS[kind], batches);
  return undefined as never;
}

export function reportBindings(deps: { reports: ReportsService }): Binding[] {
  const { reports } = deps;
  return [
    bind(reportRoutes.activity, (input) => answerReport(reports, 'activity', input)),
    bind(reportRoutes.notInSync, (input) => answerReport(reports, 'not-in-sync', input)),
    bind(reportRoutes.rotationOverdue, (input) => answerReport(reports, 'rotation-overdue', input)),
    bind(reportRoutes.noncompliant, (input) => answerReport(reports, 'noncompliant', input)),
    bind(reportRoutes.checkedOut, (input) => answerReport(reports, 'checked-out', input)),
    bind(reportRoutes.hostKeysPending, (input) => answerReport(reports, 'host-keys-pending', input)),
  ];
}
