// Starts the payment. The idempotency key belongs to this exact ask, so
// pressing again after a lost answer finds the same payment instead of
// charging twice.
import { useState } from 'react';
import { request } from '../api/client';
import { ApiError } from '../api/errors';
import { useIdempotencyKey } from '../api/idempotency';
import { graphql } from '../gql';
import type { Channel } from '../gql/graphql';
import { navigate } from '../router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatFen } from '../ui/money';

const InitiatePayment = graphql(`
  mutation InitiatePayment($input: InitiatePaymentInput!) {
    initiatePayment(input: $input) {
      id
      status
    }
  }
`);

interface Props {
  platformId: string;
  merchantId: string;
  amountMinor: number;
  channel: Channel;
  toolId: string;
  toolName: string;
}

export function PayButton({ platformId, merchantId, amountMinor, channel, toolId, toolName }: Props) {
  const ask = JSON.stringify([platformId, merchantId, amountMinor, channel, toolId]);
  const idempotencyKey = useIdempotencyKey('demo-pay', ask);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<{ ask: string; error: unknown } | undefined>();

  const pay = async () => {
    setSending(true);
    setFailure(undefined);
    try {
      const { initiatePayment } = await request(InitiatePayment, {
        input: {
          platformId,
          merchantId,
          paymentToolId: toolId,
          amount: { amountMinor, currency: 'CNY' },
          channel,
          // The buyer sees it in the wallet; the key's tail is enough to tell demo orders apart.
          reference: `demo-order-${idempotencyKey.slice(-8)}`,
          idempotencyKey,
        },
      });
      // Null only with an error, which `request` has already thrown.
      if (!initiatePayment) throw new ApiError('graphql', 'The graph sent no payment');
      navigate(`payments/${encodeURIComponent(initiatePayment.id)}`);
    } catch (error) {
      setFailure({ ask, error });
      setSending(false);
    }
  };

  return (
    <div className="pay">
      <button type="button" className="button button-primary" onClick={() => void pay()} disabled={sending}>
        {sending ? 'Starting the payment…' : `Pay ${formatFen(amountMinor)} with ${toolName}`}
      </button>
      {failure?.ask === ask && <ErrorNotice title="The payment could not be started" error={failure.error} />}
    </div>
  );
}
