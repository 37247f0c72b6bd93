import type { PaymentSnapshot } from './watch';

type NextAction = NonNullable<PaymentSnapshot['nextAction']>;

/** What the buyer does now: scan the QR code, or open the wallet. The wallet opens in its own tab so this page keeps following. */
export function NextActionPanel({ action, toolName }: { action: NextAction; toolName: string }) {
  const expires = new Date(action.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <div className="card next-action">
      {action.type === 'QR_CODE' && action.qrCode && (
        <figure className="qr">
          <img src={action.qrCode} alt={`QR code to pay with ${toolName}`} width={180} height={180} />
          <figcaption>Scan with {toolName} on a phone, or open the wallet here.</figcaption>
        </figure>
      )}
      <a className="button button-primary" href={action.url} target="_blank" rel="noopener">
        Open {toolName} to approve
      </a>
      <p className="muted">The sandbox wallet opens in a new tab; no real money moves. Approve by {expires}.</p>
    </div>
  );
}
