// Starting, cancelling, refunding and settling payments: the rules and their
// error codes, in one place behind the resolvers and the webhook route.
import { REFUNDABLE } from '@interop/domain';
import { AppError, badUserInput, ErrorCode } from '@interop/kit';
import { requireMerchantScope, type Caller } from '@interop/kit/security';
import type { Queryable } from '@interop/kit/db';
import { checkout, nextActionOn } from './checkout';
import { newId } from './ids';
import { actingPartner, requireAccess } from './ownership';
import { checkAmount, checkIdempotencyKey, checkText, fingerprint, keyReused } from './payment-input';
import type { DisplayNames, PeerFacts } from './peers';
import type { PaymentProvider, ProviderPayment } from './providers/provider';
import type { RegistrationMarks } from './registration-marks';
import type { PaymentLedger } from './store/ledger';
import type { PaymentsStore } from './store/payments-store';
import type { Channel, InitiatePaymentInput, RefundPaymentInput } from './__generated__/resolvers';
import type { PaymentRow, PaymentToolRow, RefundRow, UnavailableOptionRow } from './store/types';

/** A wallet notification, after its signature was verified. */
export interface WalletEvent {
  eventId: string;
  type: 'payment.processing' | 'payment.succeeded' | 'payment.failed';
  paymentId: string;
  amountMinor: number;
  currency: string;
}

export type WalletEventOutcome = 'applied' | 'duplicate' | 'unchanged' | 'unknown-payment' | 'mismatch';

/** Where the wallet's news moves a payment. */
export type SettledStatus = 'PROCESSING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'EXPIRED';

const STATUS_BY_EVENT: Readonly<Record<WalletEvent['type'], SettledStatus>> = {
  'payment.processing': 'PROCESSING',
  'payment.succeeded': 'SUCCEEDED',
  'payment.failed': 'FAILED',
};

export class PaymentService {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly store: PaymentsStore,
    private readonly peers: PeerFacts,
    private readonly provider: PaymentProvider,
    private readonly ttlSeconds: number,
    /** Where a new payment's registration is recorded a moment later; without it, at once. */
    private readonly marks?: RegistrationMarks,
  ) {}

  async initiate(input: InitiatePaymentInput, caller: Caller): Promise<PaymentRow> {
    const partnerId = actingPartner(caller);
    // A merchant console may start payments for its own merchants only.
    requireMerchantScope(caller, input.merchantId);
    checkIdempotencyKey(input.idempotencyKey, 'input.idempotencyKey');
    checkText(input.reference, 'input.reference', 128);
    checkAmount(input.amount, 'input.amount');
    const { idempotencyKey, channel: givenChannel, ...rest } = input;
    const channel = givenChannel ?? null;
    // Without a channel the fingerprint is what it was before channels existed, so old keys still replay.
    const requestHash = fingerprint(channel ? { ...rest, channel } : rest);
    let created: { payment: PaymentRow | null; names: DisplayNames };
    try {
      created = await this.create(input, channel, requestHash, partnerId);
    } catch (error) {
      // A retry of a key already used gets its payment back, whatever would refuse a new one now (a tool
      // withdrawn since, owners that do not answer). Looked up only then: a new key costs no read first.
      if (!(error instanceof AppError)) throw error;
      const replay = await this.ledger.paymentByIdempotencyKey(partnerId, idempotencyKey);
      if (replay) return this.finishRegistration(sameRequest(replay, requestHash));
      throw error;
    }
    if (!created.payment) {
      // The key was used before, or by a concurrent call that won the insert.
      const winner = await this.ledger.paymentByIdempotencyKey(partnerId, idempotencyKey);
      if (!winner) throw new Error(`Payment for key ${idempotencyKey} vanished`);
      return this.finishRegistration(sameRequest(winner, requestHash));
    }
    const { payment, names } = created;
    try {
      return await this.register(payment, names, this.marks);
    } catch (error) {
      // The buyer could never pay it: record why, and let a retry with this key see the outcome.
      await this.ledger.transition(payment.id, 'FAILED', 'wallet unavailable at creation');
      if (error instanceof AppError) error.extensions['paymentId'] = payment.id;
      throw error;
    }
  }

  /**
   * Checks a new payment against the tool and the checkout rule, and saves
   * it unless its key is taken (then `payment` is null).
   */
  private async create(input: InitiatePaymentInput, channel: Channel | null, requestHash: string, partnerId: string): Promise<{ payment: PaymentRow | null; names: DisplayNames }> {
    const [tool] = await this.store.toolsByIds([input.paymentToolId]);
    if (!tool) throw badUserInput('input.paymentToolId', `No payment tool has id ${input.paymentToolId}.`);
    // Fails closed: without the owners' answer nothing is created.
    const facts = await this.peers.checkoutFacts(input.platformId, input.merchantId, 'input.');
    // The same rule and the same facts as `checkout`: a tool it lists as unavailable is refused with its reason.
    const decision = await checkout({ catalogue: () => this.store.listTools() }, facts.acceptances, facts.storefront, { amountMinor: input.amount.amountMinor, channel });
    const refused = decision.unavailable.find((entry) => entry.toolId === tool.id);
    if (refused) throw refusal(refused, tool);

    const id = newId('pay');
    const nextAction = await this.provider.nextActionFor({ paymentId: id, toolId: tool.id, channel, type: nextActionOn(tool, channel) ?? 'REDIRECT' });
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000).toISOString();
    const payment = await this.ledger.insertPayment(
      {
        id,
        platformId: input.platformId,
        merchantId: input.merchantId,
        toolId: tool.id,
        amountMinor: input.amount.amountMinor,
        currency: 'CNY',
        reference: input.reference,
        nextActionType: nextAction.type,
        nextActionUrl: nextAction.url,
        nextActionQr: nextAction.qrCode,
        channel,
        expiresAt,
        idempotencyKey: input.idempotencyKey,
        requestHash,
        partnerId,
      },
      'initiatePayment',
    );
    return { payment, names: facts.names };
  }

  /**
   * Registers the payment with the wallet (idempotent on its id) and records
   * that it did, at once or, given `marks`, a moment later. The names are for
   * the buyer's eyes only: without them they are asked for, and if the owners
   * do not answer the wallet shows ids.
   */
  async register(payment: PaymentRow, names?: DisplayNames, marks?: RegistrationMarks): Promise<PaymentRow> {
    const shown = names ?? (await this.peers.displayNames(payment.platformId, payment.merchantId).catch(unlessUnavailable));
    await this.provider.createPayment(providerPayment(payment, shown));
    if (marks) marks.mark(payment.id);
    else await this.ledger.markRegistered(payment.id);
    return { ...payment, registered: true };
  }

  /**
   * A payment whose first request saved it but died before the wallet took
   * it: a retry of the key registers it, so the buyer can pay. When the wallet
   * does not answer the payment stays as it is, for a later retry or the
   * reconciler, and the caller hears DEPENDENCY_UNAVAILABLE.
   */
  private async finishRegistration(payment: PaymentRow): Promise<PaymentRow> {
    if (payment.registered || payment.status !== 'REQUIRES_ACTION') return payment;
    try {
      return await this.register(payment);
    } catch (error) {
      if (error instanceof AppError) error.extensions['paymentId'] = payment.id;
      throw error;
    }
  }

  async cancel(id: string, idempotencyKey: string, caller: Caller): Promise<PaymentRow> {
    const partnerId = actingPartner(caller);
    checkIdempotencyKey(idempotencyKey);
    const cancelled = await this.ledger.cancelKeyPayment(partnerId, idempotencyKey);
    if (cancelled !== null) {
      if (cancelled !== id) throw keyReused();
      const payment = requireAccess(caller, await this.requirePayment(id, 'id'));
      // A retry after an answer that never came: the first try's process may have died before announcing the cancel.
      await this.ledger.announceAgain(id);
      return payment;
    }
    const payment = requireAccess(caller, await this.requirePayment(id, 'id'));
    if (payment.status !== 'REQUIRES_ACTION') throw invalidState(payment);
    // The wallet stops taking approvals first, so a cancelled payment can never be paid.
    if (!(await this.provider.cancelPayment(id))) {
      throw invalidState({ ...payment, status: 'PROCESSING' });
    }
    return this.ledger.transaction(async (tx) => {
      const claimedFor = await this.ledger.claimCancelKey(tx, partnerId, idempotencyKey, id);
      if (claimedFor !== id) throw keyReused();
      const moved = await this.ledger.transition(id, 'CANCELED', 'cancelPayment', tx);
      if (moved) return moved;
      const current = await this.ledger.lockPayment(tx, id);
      if (current?.status === 'CANCELED') return current;
      throw invalidState(current ?? payment);
    });
  }

  async refund(input: RefundPaymentInput, caller: Caller): Promise<RefundRow> {
    const partnerId = actingPartner(caller);
    checkIdempotencyKey(input.idempotencyKey, 'input.idempotencyKey');
    checkText(input.reason, 'input.reason', 500);
    checkAmount(input.amount, 'input.amount');
    const { idempotencyKey, ...request } = input;
    const requestHash = fingerprint(request);
    const replay = await this.ledger.refundByIdempotencyKey(partnerId, idempotencyKey);
    if (replay) {
      sameRequest(replay, requestHash);
      // As for a repeated cancel: the refund's move of the payment may never have been announced.
      await this.ledger.announceAgain(replay.paymentId);
      return replay;
    }

    // Reserve the amount under the payment's row lock, so concurrent refunds of one payment take turns.
    const reservation = await this.ledger.transaction(async (tx) => {
      const payment = await this.ledger.lockPayment(tx, input.paymentId);
      if (!payment) throw badUserInput('input.paymentId', `No payment has id ${input.paymentId}.`);
      requireAccess(caller, payment);
      const raced = await this.ledger.refundByIdempotencyKey(partnerId, idempotencyKey, tx);
      if (raced) return { refund: sameRequest(raced, requestHash), reserved: false };
      if (!REFUNDABLE.includes(payment.status)) throw invalidState(payment);
      if (input.amount.currency !== payment.currency) {
        throw new AppError(ErrorCode.INVALID_AMOUNT, 'A refund is in the payment’s currency.', { argument: 'input.amount.currency' });
      }
      const refundable = payment.amountMinor - (await this.ledger.committedRefunds(tx, payment.id));
      if (input.amount.amountMinor > refundable) {
        throw new AppError(ErrorCode.REFUND_EXCEEDS_CAPTURED, 'The refund is larger than what is left to refund.', {
          refundableMinor: refundable,
        });
      }
      const refund = await this.ledger.insertRefund(tx, {
        id: newId('re'),
        paymentId: payment.id,
        amountMinor: input.amount.amountMinor,
        currency: payment.currency,
        reason: input.reason,
        idempotencyKey,
        requestHash,
        partnerId,
      });
      return { refund, reserved: true };
    });
    const pending = reservation.refund;
    if (!reservation.reserved) return pending;
    try {
      await this.provider.refund({ refundId: pending.id, paymentId: pending.paymentId, amountMinor: pending.amountMinor, currency: pending.currency });
    } catch (error) {
      await this.ledger.transaction(async (tx) => {
        await this.ledger.lockPayment(tx, pending.paymentId);
        const failed = await this.ledger.setRefundStatus(tx, pending.id, 'FAILED');
        await this.ledger.recordRefundEvent(tx, failed, 'refund.failed');
      });
      if (error instanceof AppError) error.extensions['refundId'] = pending.id;
      throw error;
    }
    return this.ledger.transaction(async (tx) => {
      const payment = await this.ledger.lockPayment(tx, pending.paymentId);
      const refund = await this.ledger.setRefundStatus(tx, pending.id, 'SUCCEEDED');
      if (payment) {
        const refunded = await this.ledger.succeededRefunds(tx, payment.id);
        const status = refunded >= payment.amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
        await this.ledger.transition(payment.id, status, `refund ${refund.id}`, tx);
        // After the payment's move, so the event carries the payment as it now stands.
        await this.ledger.recordRefundEvent(tx, refund, 'refund.succeeded');
      }
      return refund;
    });
  }

  /** Applies a verified wallet event once; repeated or out-of-order events change nothing. */
  async applyWalletEvent(event: WalletEvent): Promise<WalletEventOutcome> {
    return this.ledger.transaction(async (tx) => {
      const payment = await this.ledger.lockPayment(tx, event.paymentId);
      if (!payment) return 'unknown-payment';
      if (payment.amountMinor !== event.amountMinor || payment.currency !== event.currency) return 'mismatch';
      if (!(await this.ledger.claimWalletEvent(tx, event.eventId, payment.id, event.type))) {
        // The wallet repeats an event it got no answer to: the process that applied it may have died before announcing it.
        await this.ledger.announceAgain(payment.id, tx);
        return 'duplicate';
      }
      const cause = `wallet ${event.type} ${event.eventId}`;
      return (await this.settle(tx, payment.id, STATUS_BY_EVENT[event.type], cause)) ? 'applied' : 'unchanged';
    });
  }

  /**
   * Applies where the wallet says a payment stands, asked for rather than
   * notified (the reconciler): the same transitions under the same row lock
   * as a webhook, so the two never both apply one change. True when it moved.
   */
  applyProviderStatus(paymentId: string, to: SettledStatus, cause: string): Promise<boolean> {
    return this.ledger.transaction(async (tx) => {
      if (!(await this.ledger.lockPayment(tx, paymentId))) return false;
      return this.settle(tx, paymentId, to, cause);
    });
  }

  /** Moves a locked payment to `to` if its status allows; false when it does not (nothing changes then). */
  private async settle(tx: Queryable, paymentId: string, to: SettledStatus, cause: string): Promise<boolean> {
    // A success that overtook its processing news still passes through PROCESSING.
    if (to === 'SUCCEEDED') await this.ledger.transition(paymentId, 'PROCESSING', cause, tx);
    return (await this.ledger.transition(paymentId, to, cause, tx)) !== null;
  }

  private async requirePayment(id: string, argument: string): Promise<PaymentRow> {
    const [payment] = await this.ledger.paymentsByIds([id]);
    if (!payment) throw badUserInput(argument, `No payment has id ${id}.`);
    return payment;
  }
}

function providerPayment(payment: PaymentRow, names: DisplayNames | undefined): ProviderPayment {
  const { id: paymentId, toolId, merchantId, platformId, amountMinor, currency, reference, expiresAt } = payment;
  return {
    paymentId,
    toolId,
    merchantId,
    platformId,
    amountMinor,
    currency,
    reference,
    expiresAt,
    ...(names?.merchantName ? { merchantName: names.merchantName } : {}),
    ...(names?.platformName ? { platformName: names.platformName } : {}),
  };
}

/** Nothing when the owners did not answer (an AppError such as DEPENDENCY_UNAVAILABLE); anything else is a fault, thrown again. */
function unlessUnavailable(error: unknown): undefined {
  if (error instanceof AppError) return undefined;
  throw error;
}

function sameRequest<T extends { requestHash: string }>(existing: T, requestHash: string): T {
  if (existing.requestHash !== requestHash) throw keyReused();
  return existing;
}

/**
 * The error for a tool the checkout rule refuses: the code follows the first
 * reason (MERCHANT_SUSPENDED, INVALID_AMOUNT for UNDER_LIMIT, AMOUNT_OVER_LIMIT
 * for OVER_LIMIT, PAYMENT_TOOL_NOT_ACCEPTED for the rest), and
 * `extensions.reason` always carries the reason itself.
 */
function refusal({ reason, detail }: UnavailableOptionRow, tool: PaymentToolRow): AppError {
  const extensions = { reason, paymentToolId: tool.id };
  switch (reason) {
    case 'MERCHANT_SUSPENDED':
      return new AppError(ErrorCode.MERCHANT_SUSPENDED, detail, extensions);
    case 'UNDER_LIMIT':
      return new AppError(ErrorCode.INVALID_AMOUNT, detail, { ...extensions, argument: 'input.amount.amountMinor', limitMinor: tool.perPaymentMinMinor });
    case 'OVER_LIMIT':
      return new AppError(ErrorCode.AMOUNT_OVER_LIMIT, detail, { ...extensions, argument: 'input.amount.amountMinor', limitMinor: tool.perPaymentMaxMinor });
    default:
      return new AppError(ErrorCode.PAYMENT_TOOL_NOT_ACCEPTED, detail, extensions);
  }
}

function invalidState(payment: Pick<PaymentRow, 'status'>): AppError {
  return new AppError(ErrorCode.INVALID_STATE, `Not allowed while the payment is ${payment.status}.`, { status: payment.status });
}
