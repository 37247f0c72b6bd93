// The interop map: platforms against payment tools, the story's dates, and
// which wallets interoperate, all from one query.
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Loading } from '../ui/Loading';
import { usePageTitle } from '../ui/usePageTitle';
import { InteropMatrix } from './InteropMatrix';
import { buildMatrix } from './matrix';
import { Timeline } from './Timeline';
import { storyTimeline } from './timeline-events';
import { WalletGraph } from './WalletGraph';

const InteropMap = graphql(`
  query InteropMap {
    platforms {
      id
      name
      operator
      operatorGroup
      acceptedPaymentTools {
        tool {
          id
        }
        status
        since
        source
        requiresMerchantOptIn
        checkoutRank
        history {
          status
          date
          description
          source
        }
      }
      hosts {
        service {
          id
          name
        }
        since
        source
      }
    }
    paymentTools {
      id
      name
      provider
      interoperatesWith {
        id
      }
    }
  }
`);

export function MapPage() {
  usePageTitle('Interop map');
  const { state, reload } = useQuery(InteropMap, {});
  if (state.status === 'error') return <ErrorNotice title="The interop map could not be loaded" error={state.error} onRetry={reload} />;
  if (!state.data) return <Loading what="the interop map" />;
  const platforms = state.data.platforms ?? [];
  const tools = state.data.paymentTools ?? [];
  return (
    <>
      <section aria-labelledby="matrix-title">
        <h1 id="matrix-title">Who takes which payment tool</h1>
        <p className="lede">
          Each platform’s checkout rule for each tool. Hover or tap a cell for its date and source; since September 2024 Taobao opens
          WeChat Pay and Meituan’s services sit inside the Alipay app.
        </p>
        <InteropMatrix matrix={buildMatrix(platforms, tools)} />
      </section>
      <div className="columns">
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">The story in dates</h2>
          <Timeline entries={storyTimeline(platforms, tools)} />
        </section>
        <section aria-labelledby="wallets-title">
          <h2 id="wallets-title">Which wallets interoperate</h2>
          <WalletGraph tools={tools} />
        </section>
      </div>
    </>
  );
}
