// What the graph's checkout rule says for this merchant, platform, amount and
// channel: the tools on offer in rank order (the first preselected), and each
// other tool with the reason it is not.
import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import type { Channel } from '../gql/graphql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { OptionList } from './OptionList';
import { PayButton } from './PayButton';
import { UnavailableList } from './UnavailableList';

const CheckoutInContext = graphql(`
  query CheckoutInContext($platformId: ID!, $merchantId: ID!, $amount: MoneyInput!, $channel: Channel!) {
    platform(id: $platformId) {
      id
      name
    }
    merchant(id: $merchantId) {
      id
      name
      status
    }
    checkout(platformId: $platformId, merchantId: $merchantId, amount: $amount, channel: $channel) {
      available {
        rank
        isDefault
        nextActionType
        tool {
          id
          name
          provider
        }
      }
      unavailable {
        reason
        detail
        tool {
          id
          name
        }
      }
    }
  }
`);

interface Props {
  platformId: string;
  merchantId: string;
  amountMinor: number;
  channel: Channel;
}

export function CheckoutOptions({ platformId, merchantId, amountMinor, channel }: Props) {
  const { state, reload } = useQuery(CheckoutInContext, { platformId, merchantId, amount: { amountMinor, currency: 'CNY' }, channel });
  const [picked, setPicked] = useState<string | undefined>();
  if (state.status === 'error') return <ErrorNotice title="The checkout could not be loaded" error={state.error} onRetry={reload} />;
  if (!state.data) return <Loading what="the payment options" />;
  const { platform, merchant, checkout } = state.data;
  if (!platform) return <p className="hint">The graph knows no platform “{platformId}”.</p>;
  if (!merchant) return <p className="hint">The graph knows no merchant “{merchantId}”.</p>;
  const available = checkout?.available ?? [];
  // The buyer's pick stands while it is still on offer; otherwise the platform's default.
  const chosen = available.find((option) => option.tool.id === picked) ?? available.find((option) => option.isDefault) ?? available[0];
  const where = `${merchant.name ?? merchant.id} on ${platform.name ?? platform.id}`;
  return (
    <div className="checkout-options" aria-busy={state.status === 'loading'}>
      <section className="card" aria-labelledby="available-title">
        <h2 id="available-title">Pay at {where}</h2>
        {available.length === 0 ? (
          <p>No payment tool is on offer here for this amount and channel; the list below says why.</p>
        ) : (
          <>
            <OptionList options={available} chosen={chosen?.tool.id} onChoose={setPicked} />
            {chosen && (
              <PayButton
                platformId={platformId}
                merchantId={merchantId}
                amountMinor={amountMinor}
                channel={channel}
                toolId={chosen.tool.id}
                toolName={chosen.tool.name ?? chosen.tool.id}
              />
            )}
          </>
        )}
      </section>
      {(checkout?.unavailable.length ?? 0) > 0 && (
        <section className="card" aria-labelledby="unavailable-title">
          <h2 id="unavailable-title">Not offered here</h2>
          <UnavailableList options={checkout?.unavailable ?? []} />
        </section>
      )}
    </div>
  );
}
