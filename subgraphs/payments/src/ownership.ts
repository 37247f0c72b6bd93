// Whose payments a caller may see and act on. A partner app sees the payments
// it created; a merchant console (a credential with `merchant:<id>` scopes)
// sees every payment to its merchants, whoever created it, and nothing else.
import { forbidden, unauthenticated } from '@interop/kit';
import { merchantScopes, type Caller } from '@interop/kit/security';
import type { PaymentListFilter } from './store/ledger';
import type { PaymentRow } from './store/types';

export function mayAccess(caller: Caller, payment: Pick<PaymentRow, 'partnerId' | 'merchantId'>): boolean {
  const merchants = merchantScopes(caller);
  if (merchants.length > 0) return merchants.includes(payment.merchantId);
  return caller.partnerId !== null && payment.partnerId === caller.partnerId;
}

export function requireAccess<T extends Pick<PaymentRow, 'partnerId' | 'merchantId'>>(caller: Caller, payment: T): T {
  if (caller.partnerId === null) throw unauthenticated();
  if (!mayAccess(caller, payment)) throw forbidden('This payment belongs to another partner or merchant.');
  return payment;
}

/** The partner a write is recorded for (the owner of what it creates, and of its idempotency keys). */
export function actingPartner(caller: Caller): string {
  if (caller.partnerId === null) throw unauthenticated();
  return caller.partnerId;
}

/** What a payment list is narrowed to for this caller. */
export function visiblePayments(caller: Caller): Pick<PaymentListFilter, 'partnerId' | 'merchantIds'> {
  const merchants = merchantScopes(caller);
  return merchants.length > 0 ? { merchantIds: merchants } : { partnerId: actingPartner(caller) };
}
