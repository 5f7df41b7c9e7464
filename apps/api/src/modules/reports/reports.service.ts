import type { ReportBucket, ReportName } from '@passman/contracts';
import type { RequestContext } from '../../lib/actor.js';
import { decodeKeyset, encodeKeyset, keyParts, type KeyPart } from '../../lib/keyset.js';
import type { AccessService, TreeScope } from '../access/index.js';
import {
  accountReportKeyOf,
  accountReportKeyParts,
  type AccountReportFilter,
  type AccountReportKind,
  type ActivityFilter,
  type ReportsRepo,
  type TreeFilter,
} from './reports.repo.js';

/** The reports and the metadata export (`accounts`: every account the filters match). */
export type ReportKind = ReportName | 'accounts';

type Filter = ActivityFilter & AccountReportFilter;
type Row = { [key: string]: unknown };

/** How many rows a CSV download reads at a time: memory stays flat however long the report. */
const STREAM_BATCH = 500;
const CURSOR_SCOPE = 'reports';

/**
 * Reports: lists over the audit trail, the accounts and the host keys, each limited to what the
 * caller may see — the same rule as the accounts list (view on the account, or on its target for
 * host keys), applied in the one query, so a hidden folder's rows are neither listed nor counted.
 * Metadata only: no report reads a secret.
 */
export function createReportsService(deps: { repo: ReportsRepo; access: AccessService }) {
  const { repo, access } = deps;

  function keyPartsOf(kind: ReportKind): readonly KeyPart[] {
    if (kind === 'activity') return [keyParts.positiveBigint];
    if (kind === 'host-keys-pending') return [keyParts.timestamp, keyParts.uuid];
    return accountReportKeyParts(kind === 'accounts' ? 'all' : kind);
  }

  /** One batch of rows after `key`, and the key of its last row. */
  async function batch(
    scope: TreeScope,
    kind: ReportKind,
    filter: Filter,
    key: string[] | undefined,
    limit: number,
  ): Promise<{ rows: Row[]; keyOf: (row: Row) => string[] }> {
    if (kind === 'activity') {
      const rows = await repo.activity(scope, filter, key?.[0], limit);
      return { rows, keyOf: (r) => [r.id as string] };
    }
    if (kind === 'host-keys-pending') {
      const rows = await repo.hostKeysPending(scope, filter, key, limit);
      return { rows, keyOf: (r) => [r.firstSeenAt as string, r.hostKeyId as string] };
    }
    const accountKind: AccountReportKind = kind === 'accounts' ? 'all' : kind;
    const rows = await repo.accounts(scope, accountKind, filter, key, limit);
    return { rows, keyOf: (r) => accountReportKeyOf(accountKind, r as never) };
  }

  function summary(scope: TreeScope, kind: ReportKind, filter: Filter): Promise<ReportBucket[]> {
    if (kind === 'activity') return repo.activitySummary(scope, filter);
    if (kind === 'host-keys-pending') return repo.hostKeysSummary(scope, filter);
    return repo.accountSummary(scope, kind === 'accounts' ? 'all' : kind, filter);
  }

  /** The caller's scope, after a folder or target they filter on was found visible: 404 otherwise, as if it did not exist. */
  async function scopeFor(ctx: RequestContext, filter: TreeFilter): Promise<TreeScope> {
    if (filter.folderId) await access.rightsOn(ctx.actor, { type: 'folder', id: filter.folderId });
    if (filter.targetId) await access.rightsOn(ctx.actor, { type: 'target', id: filter.targetId });
    return access.listScopeOf(ctx.actor);
  }

  return {
    /** One page; the first also carries the chart's groups and the total, over every matching row. */
    async page(ctx: RequestContext, kind: ReportName, query: Filter & { limit: number; cursor?: string | undefined }) {
      const { limit, cursor, ...filter } = query;
      const scope = await scopeFor(ctx, filter);
      const key = cursor ? decodeKeyset(CURSOR_SCOPE, kind, cursor, keyPartsOf(kind)) : undefined;
      const { rows, keyOf } = await batch(scope, kind, filter, key, limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const buckets = cursor ? null : await summary(scope, kind, filter);
      return {
        items,
        nextCursor: rows.length > limit && last ? encodeKeyset(CURSOR_SCOPE, kind, keyOf(last)) : null,
        summary: buckets,
        total: buckets ? buckets.reduce((n, b) => n + b.count, 0) : null,
      };
    },

    /** Every row, a batch at a time, for a CSV download or an export. Visibility is checked before the first batch. */
    async rows(ctx: RequestContext, kind: ReportKind, filter: Filter): Promise<AsyncIterable<Row[]>> {
      const scope = await scopeFor(ctx, filter);
      return (async function* () {
        let key: string[] | undefined;
        for (;;) {
          const { rows, keyOf } = await batch(scope, kind, filter, key, STREAM_BATCH);
          if (rows.length > 0) yield rows;
          if (rows.length < STREAM_BATCH) return;
          key = keyOf(rows.at(-1)!);
        }
      })();
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
