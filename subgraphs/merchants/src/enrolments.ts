// Merchants opening and closing payment tools on a platform (opt-ins). Only an
// active, eligible merchant may open a tool, and only where the platform's rule
// asks merchants to opt in and is open now. An enrolment moves
// REQUESTED -> PENDING_REVIEW -> ACTIVE; closing makes it INACTIVE, never a delete.
import { AppError, badUserInput, ErrorCode } from '@interop/kit';
import { isOpenForCheckout } from '@interop/domain';
import type { MerchantsContext } from './context';
import type { MerchantRow, StorefrontRow } from './store/types';

export interface EnrolmentArgs {
  merchantId: string;
  platformId: string;
  paymentToolId: string;
}

async function findStorefront({ merchantId, platformId }: EnrolmentArgs, { loaders }: MerchantsContext) {
  const merchant = await loaders.merchant.load(merchantId);
  if (!merchant) throw badUserInput('merchantId', `No merchant has id ${merchantId}.`);
  const storefront = await loaders.storefront.load({ merchantId, platformId });
  if (!storefront) throw badUserInput('platformId', `Merchant ${merchantId} has no storefront on ${platformId}.`);
  return { merchant, storefront };
}

function checkMayOpen(merchant: MerchantRow): void {
  if (merchant.status === 'SUSPENDED') throw new AppError(ErrorCode.MERCHANT_SUSPENDED, 'A suspended merchant cannot open payment tools.');
  if (!merchant.eligible) {
    throw new AppError(ErrorCode.MERCHANT_INELIGIBLE, 'The merchant does not meet the rules for opening payment tools itself.');
  }
}

function forget(storefront: StorefrontRow, context: MerchantsContext): void {
  context.loaders.enrolledToolIds.clear(storefront);
  context.loaders.enrolments.clear(storefront);
  context.loaders.enrolmentHistory.clearAll();
}

export async function openPaymentTool(args: EnrolmentArgs, context: MerchantsContext): Promise<StorefrontRow> {
  const { merchant, storefront } = await findStorefront(args, context);
  checkMayOpen(merchant);
  const rule = await context.peers.ruleForOptIn(args.platformId, args.paymentToolId);
  if (!rule || !rule.requiresMerchantOptIn || !isOpenForCheckout(rule.status)) {
    throw new AppError(ErrorCode.PAYMENT_TOOL_NOT_ACCEPTED, 'The platform does not let merchants open this tool now.', {
      paymentToolId: args.paymentToolId,
    });
  }
  // Each step is its own change with its own time; a step that does not apply
  // (the enrolment is already further along) changes nothing, so opening an
  // ACTIVE tool is a no-op and an interrupted opening resumes where it stopped.
  const { store } = context;
  await store.moveEnrolment(storefront, args.paymentToolId, 'REQUESTED');
  await store.moveEnrolment(storefront, args.paymentToolId, 'PENDING_REVIEW');
  // The demo's review is automatic: it checks what checkMayOpen and the rule
  // above checked, so it approves at once. A real review would leave the
  // enrolment PENDING_REVIEW here and finish it later.
  await store.moveEnrolment(storefront, args.paymentToolId, 'ACTIVE');
  forget(storefront, context);
  return storefront;
}

export async function closePaymentTool(args: EnrolmentArgs, context: MerchantsContext): Promise<StorefrontRow> {
  const { storefront } = await findStorefront(args, context);
  await context.store.moveEnrolment(storefront, args.paymentToolId, 'INACTIVE');
  forget(storefront, context);
  return storefront;
}
