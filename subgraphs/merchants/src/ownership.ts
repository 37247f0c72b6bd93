// A merchant console (a credential with `merchant:<id>` scopes) sees and
// changes only its own merchants' opt-ins; the SDL's scopes decide everything else.
import { forbidden, merchantScopes, type Caller } from '@interop/kit';

export function requireOwnMerchant(caller: Caller, merchantId: string): void {
  const merchants = merchantScopes(caller);
  if (merchants.length > 0 && !merchants.includes(merchantId)) throw forbidden('This credential acts for other merchants.', { merchantId });
}
