// A merchant console is a credential with `merchant:<id>` scopes: it acts for
// those merchants only, whichever partner it belongs to. Every subgraph asks
// the same two questions of a caller, here.
import { forbidden } from './errors';
import type { Caller } from './identity';

/** The merchants `merchant:<id>` scopes confine the caller to; empty when it is not confined. */
export function merchantScopes(caller: Caller): string[] {
  return caller.scopes.filter((scope) => scope.startsWith('merchant:')).map((scope) => scope.slice('merchant:'.length));
}

/** Throws FORBIDDEN (`extensions.merchantId`) when the caller is confined to merchants and `merchantId` is not one of them. */
export function requireMerchantScope(caller: Caller, merchantId: string): void {
  const merchants = merchantScopes(caller);
  if (merchants.length > 0 && !merchants.includes(merchantId)) throw forbidden('This credential acts for other merchants.', { merchantId });
}
