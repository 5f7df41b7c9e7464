import type { GrantEffect, VaultObjectType } from '@passman/contracts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { useEffectivePermissions } from '../api/get-effective-permissions';
import { usePermissions } from '../api/get-permissions';
import { useSetPermissions } from '../api/set-permissions';
import { actionLabel, effectLabel, objectTypeLabel, principalLabel } from '../labels';
import { effectiveRows, grantsWith, grantsWithout, inheritedGrants, sortGrants } from '../permission-model';
import { AddGrantForm, type PrincipalChoices } from './add-grant-form';

function EffectBadge({ effect }: { effect: GrantEffect }) {
  return <Badge tone={effect === 'DENY' ? 'danger' : 'success'}>{effectLabel(effect)}</Badge>;
}

function Loading() {
  return (
    <p role="status" className="muted permissions__loading">
      <Spinner size="sm" /> {t('table.loading')}
    </p>
  );
}

export interface PermissionsPanelProps {
  object: { type: VaultObjectType; id: string; name: string };
  /** The signed-in user holds manage_permissions on the object (the server decides again). */
  canEdit: boolean;
  /** Whom a grant may name; only needed when `canEdit`. */
  principals?: PrincipalChoices | undefined;
}

/**
 * The Permissions tab of a folder, target or account: the grants made on it (editable with
 * manage_permissions), those it inherits from above, and what they add up to for each user and
 * group, with where each right comes from. A DENY anywhere on the way wins.
 */
export function PermissionsPanel({ object, canEdit, principals }: PermissionsPanelProps) {
  const direct = usePermissions(object.type, object.id);
  const effective = useEffectivePermissions(object.type, object.id);
  const save = useSetPermissions();
  const grants = direct.data ? sortGrants(direct.data.grants) : [];
  const inherited = effective.data ? inheritedGrants(effective.data) : [];
  const rows = effective.data ? effectiveRows(effective.data) : [];
  const send = (next: ReturnType<typeof grantsWith>) => save.mutate({ type: object.type, id: object.id, grants: next, expectedVersion: direct.data!.version });

  return (
    <div className="permissions">
      <section className="details-section" aria-labelledby="permissions-direct">
        <h3 id="permissions-direct" className="section-title">
          {t('permissions.direct.heading')}
        </h3>
        {direct.isPending ? (
          <Loading />
        ) : direct.isError ? (
          <ErrorState error={direct.error} onRetry={() => void direct.refetch()} retrying={direct.isRefetching} />
        ) : grants.length === 0 ? (
          <p className="muted">{t('permissions.direct.empty')}</p>
        ) : (
          <table className="mini-table" aria-label={t('permissions.direct.tableLabel', { name: object.name })}>
            <thead>
              <tr>
                <th scope="col">{t('permissions.col.who')}</th>
                <th scope="col">{t('permissions.col.right')}</th>
                <th scope="col">{t('permissions.col.effect')}</th>
                {canEdit && (
                  <th scope="col" className="is-end">
                    <span className="sr-only">{t('permissions.col.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {grants.map((g) => (
                <tr key={g.id}>
                  <td>{principalLabel(g.principal)}</td>
                  <td>{actionLabel(g.action)}</td>
                  <td>
                    <EffectBadge effect={g.effect} />
                  </td>
                  {canEdit && (
                    <td className="is-end">
                      <Button
                        size="sm"
                        variant="ghost"
                        pending={save.isPending}
                        aria-label={t('permissions.remove', { effect: effectLabel(g.effect), right: actionLabel(g.action), who: principalLabel(g.principal) })}
                        onClick={() => send(grantsWithout(direct.data!.grants, g.id))}
                      >
                        {t('permissions.removeShort')}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canEdit && direct.isSuccess && principals && (
          <AddGrantForm principals={principals} pending={save.isPending} onAdd={(grant) => send(grantsWith(direct.data.grants, grant))} />
        )}
        {save.isError && <FormAlert error={save.error} />}
      </section>

      <section className="details-section" aria-labelledby="permissions-inherited">
        <h3 id="permissions-inherited" className="section-title">
          {t('permissions.inherited.heading')}
        </h3>
        {effective.isPending ? (
          <Loading />
        ) : effective.isError ? (
          <ErrorState error={effective.error} onRetry={() => void effective.refetch()} retrying={effective.isRefetching} />
        ) : inherited.length === 0 ? (
          <p className="muted">{t('permissions.inherited.empty')}</p>
        ) : (
          <table className="mini-table" aria-label={t('permissions.inherited.tableLabel', { name: object.name })}>
            <thead>
              <tr>
                <th scope="col">{t('permissions.col.who')}</th>
                <th scope="col">{t('permissions.col.right')}</th>
                <th scope="col">{t('permissions.col.effect')}</th>
                <th scope="col">{t('permissions.col.grantedOn')}</th>
              </tr>
            </thead>
            <tbody>
              {inherited.map((g) => (
                <tr key={g.grantId}>
                  <td>{principalLabel(g.principal)}</td>
                  <td>{actionLabel(g.action)}</td>
                  <td>
                    <EffectBadge effect={g.effect} />
                  </td>
                  <td>{t('permissions.onObject', { type: objectTypeLabel(g.object.type), name: g.object.name })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="details-section" aria-labelledby="permissions-effective">
        <h3 id="permissions-effective" className="section-title">
          {t('permissions.effective.heading')}
        </h3>
        <p className="muted">{t('permissions.effective.roles')}</p>
        {effective.isPending ? (
          <Loading />
        ) : effective.isError ? null : rows.length === 0 ? (
          <p className="muted">{t('permissions.effective.empty')}</p>
        ) : (
          <table className="mini-table" aria-label={t('permissions.effective.tableLabel', { name: object.name })}>
            <thead>
              <tr>
                <th scope="col">{t('permissions.col.who')}</th>
                <th scope="col">{t('permissions.col.right')}</th>
                <th scope="col">{t('permissions.col.result')}</th>
                <th scope="col" className="permissions__because">
                  {t('permissions.col.because')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.principal.type}:${r.principal.id}:${r.action}`}>
                  <td>{principalLabel(r.principal)}</td>
                  <td>{actionLabel(r.action)}</td>
                  <td>
                    {r.allowed ? (
                      <Badge tone="success">{t('permissions.result.allowed')}</Badge>
                    ) : (
                      <Badge tone="danger">{r.denied ? t('permissions.result.denied') : t('permissions.result.notAllowed')}</Badge>
                    )}
                  </td>
                  <td className="permissions__because">
                    <ul className="plain-list">
                      {r.from.map((f) => (
                        <li key={f.grantId}>
                          {t(f.inherited ? 'permissions.from.inherited' : 'permissions.from.here', {
                            effect: effectLabel(f.effect),
                            type: objectTypeLabel(f.object.type),
                            name: f.object.name,
                          })}
                          {(f.via.type !== r.principal.type || f.via.id !== r.principal.id) && ` ${t('permissions.from.via', { who: principalLabel(f.via) })}`}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
