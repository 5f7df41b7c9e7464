import type { Account } from '@passman/contracts';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';

/** Who holds an exclusive checkout, as a 409 from `POST /accounts/{id}/checkout` says. */
export interface HeldCheckout {
  heldByYou: boolean;
  heldBy: string | null;
  checkedOutAt: string;
  /** null: until check-in. */
  expiresAt: string | null;
}

export function heldCheckout(error: unknown): HeldCheckout | null {
  if (!isApiError(error) || error.code !== 'CONFLICT') return null;
  const { heldByYou, heldBy, checkedOutAt, expiresAt } = error.extensions;
  if (typeof heldByYou !== 'boolean' || typeof checkedOutAt !== 'string') return null;
  return { heldByYou, heldBy: typeof heldBy === 'string' ? heldBy : null, checkedOutAt, expiresAt: typeof expiresAt === 'string' ? expiresAt : null };
}

/** The sentence for it: who, since when, until when. */
export function heldCheckoutMessage(held: HeldCheckout, account: Pick<Account, 'username'>): string {
  const params = {
    account: account.username,
    since: formatDateTime(held.checkedOutAt),
    until: held.expiresAt ? t('checkout.heldUntil', { time: formatDateTime(held.expiresAt) }) : t('checkout.heldUntilCheckin'),
  };
  return held.heldByYou ? t('checkout.heldByYou', params) : t('checkout.heldByOther', { ...params, user: held.heldBy ?? t('checkout.someone') });
}
