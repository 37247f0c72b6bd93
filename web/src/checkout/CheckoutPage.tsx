// A buyer's checkout: where (platform and merchant), what (amount and
// channel), then the tools in the platform's order, and why the rest are not
// offered. Paying starts a payment and follows it on its own page.
import { useState } from 'react';
import type { Channel } from '../gql/graphql';
import { navigate, useLocation, withQuery } from '../router';
import { parseYuan } from '../ui/money';
import { useDebounced } from '../ui/useDebounced';
import { usePageTitle } from '../ui/usePageTitle';
import { AmountAndChannel } from './AmountAndChannel';
import { CheckoutOptions } from './CheckoutOptions';
import { deviceChannel } from './device-channel';
import { WherePicker } from './WherePicker';

export function CheckoutPage() {
  usePageTitle('Checkout');
  const { query } = useLocation();
  const platformId = query.get('platform') ?? undefined;
  const merchantId = query.get('merchant') ?? undefined;
  const [amountText, setAmountText] = useState('199.00');
  const [channel, setChannel] = useState<Channel>(deviceChannel);
  const amountMinor = parseYuan(useDebounced(amountText, 400));

  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <p className="lede">Pick a platform and a merchant to see how a buyer can pay there, best option first, and why the others are not offered.</p>
      <div className="card form-card">
        <WherePicker
          platformId={platformId}
          merchantId={merchantId}
          onChange={(next) => navigate(withQuery('checkout', { platform: next.platformId, merchant: next.merchantId }), { replace: true })}
        />
        <AmountAndChannel amountText={amountText} onAmountText={setAmountText} channel={channel} onChannel={setChannel} />
      </div>
      {!platformId || !merchantId ? (
        <p className="hint">Choose a platform and a merchant to see the payment options.</p>
      ) : amountMinor === undefined ? (
        <p className="hint">Enter the amount in yuan, for example 199.00, to see the payment options.</p>
      ) : (
        <CheckoutOptions platformId={platformId} merchantId={merchantId} amountMinor={amountMinor} channel={channel} />
      )}
    </section>
  );
}
