// Records that the wallet took new payments a moment later and many at a
// time, in one statement, instead of one statement per payment on its
// request's path. The mark only spares a retry of a payment's key a second
// registration with the wallet (an idempotent PUT by id) when the request
// that created it died before the wallet took it; a mark lost with the
// process costs such a retry one more call to the wallet, and nothing else
// (the reconciler asks the wallet itself, whatever the mark says).
import type { Logger } from '@interop/kit';
import type { PaymentLedger } from './store/ledger';

/** How long a mark may wait for others to share its statement. */
export const REGISTRATION_MARK_DELAY_MS = 200;

export class RegistrationMarks {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly ledger: PaymentLedger,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly delayMs = REGISTRATION_MARK_DELAY_MS,
  ) {}

  /** Marks the payment registered within `delayMs`. */
  mark(paymentId: string): void {
    this.pending.push(paymentId);
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref();
  }

  /** Writes every mark waiting now; resolves once all written so far are (a failure is logged: see above). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = this.pending;
    this.pending = [];
    if (ids.length > 0) {
      this.written = this.written.then(() =>
        this.ledger.markRegistered(ids).catch((error: unknown) => this.logger.warn({ err: error, payments: ids.length }, 'registration marks not written; a retry of their keys registers them again')),
      );
    }
    return this.written;
  }
}
