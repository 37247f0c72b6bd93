// Settles payments whose news never arrived: a webhook the wallet lost in a
// restart, a registration a crash cut short, an unpaid payment past its time.
// Each sweep claims the payments due (PaymentLedger.claimDue), asks the
// provider where each stands and applies the answer through the same
// lifecycle code as a webhook. Expiry is decided here too, and only on the
// provider's word: a payment the buyer approved or declined before its time
// ends SUCCEEDED or FAILED, never EXPIRED, however late the webhook is.
import { AppError, type Logger } from '@interop/kit';
import type { PaymentService, SettledStatus } from './payment-service';
import type { PaymentProvider, ProviderPaymentStatus } from './providers/provider';
import type { PaymentLedger } from './store/ledger';
import type { PaymentRow } from './store/types';

export interface ReconcilerOptions {
  /** How long a payment waits in REQUIRES_ACTION or PROCESSING before the provider is asked; also how long between two asks. */
  staleMs: number;
  /** Payments asked about at once. */
  batchSize?: number;
}

export type ReconcileOutcome = 'applied' | 'registered' | 'unchanged' | 'mismatch' | 'unavailable';

const STATUS_BY_PROVIDER: Readonly<Record<ProviderPaymentStatus, SettledStatus | null>> = {
  PENDING: null,
  APPROVED: 'SUCCEEDED',
  DECLINED: 'FAILED',
  CANCELED: 'CANCELED',
  EXPIRED: 'EXPIRED',
};

export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly ledger: PaymentLedger,
    private readonly provider: PaymentProvider,
    private readonly payments: PaymentService,
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {}

  /** Sweeps every `intervalMs`; a sweep still running when the next is due is not doubled. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => this.logger.error({ err: error }, 'reconciliation sweep failed'))
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping and waits for a sweep under way, so the ledger can close after it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep: claims batches until none is full or the provider stops answering; how each payment came out. */
  async sweep(): Promise<ReconcileOutcome[]> {
    const batchSize = this.options.batchSize ?? 20;
    const outcomes: ReconcileOutcome[] = [];
    for (;;) {
      const due = await this.ledger.claimDue(this.options.staleMs, batchSize);
      const results = await Promise.all(due.map((payment) => this.reconcile(payment)));
      outcomes.push(...results);
      if (due.length < batchSize || results.includes('unavailable')) return outcomes;
    }
  }

  private async reconcile(payment: PaymentRow): Promise<ReconcileOutcome> {
    try {
      return await this.ask(payment);
    } catch (error) {
      // The claim lapses after staleMs and the next sweep asks again.
      const unavailable = error instanceof AppError;
      this.logger.warn({ paymentId: payment.id, err: error }, unavailable ? 'reconciliation: wallet unavailable' : 'reconciliation failed');
      return 'unavailable';
    }
  }

  private async ask(payment: PaymentRow): Promise<ReconcileOutcome> {
    const state = await this.provider.retrieve(payment.id);
    if (state === null) {
      if (payment.status !== 'REQUIRES_ACTION') {
        this.logger.error({ paymentId: payment.id, status: payment.status }, 'reconciliation: the wallet has no record of a payment in progress');
        return 'unchanged';
      }
      if (Date.parse(payment.expiresAt) <= Date.now()) return this.move(payment, 'EXPIRED', 'expiry');
      // Saved, but the process died before the wallet took it: register it now so the buyer can pay.
      await this.payments.register(payment);
      this.logger.info({ paymentId: payment.id }, 'reconciliation: registered with the wallet');
      return 'registered';
    }
    if (state.amountMinor !== payment.amountMinor || state.currency !== payment.currency) {
      this.logger.error({ paymentId: payment.id, wallet: state }, 'reconciliation: the wallet holds another amount; not applied');
      return 'mismatch';
    }
    if (!payment.registered) await this.ledger.markRegistered(payment.id);
    const to = STATUS_BY_PROVIDER[state.status];
    if (!to) return 'unchanged';
    return this.move(payment, to, to === 'EXPIRED' ? 'expiry' : `reconciled: wallet reports ${state.status}`);
  }

  private async move(payment: PaymentRow, to: SettledStatus, cause: string): Promise<ReconcileOutcome> {
    const moved = await this.payments.applyProviderStatus(payment.id, to, cause);
    if (moved) this.logger.info({ paymentId: payment.id, status: to }, 'reconciliation: applied');
    return moved ? 'applied' : 'unchanged';
  }
}
