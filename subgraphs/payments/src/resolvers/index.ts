import type { Resolvers } from '../__generated__/resolvers';
import { Merchant } from './Merchant';
import { Money } from './Money';
import { Mutation } from './Mutation';
import { NextAction } from './NextAction';
import { Payment } from './Payment';
import { PaymentLimits } from './PaymentLimits';
import { PaymentOption } from './PaymentOption';
import { PaymentTool } from './PaymentTool';
import { Platform } from './Platform';
import { Query } from './Query';
import { Refund } from './Refund';
import { Storefront } from './Storefront';
import { UnavailableOption } from './UnavailableOption';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './Webhooks';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  PaymentTool,
  PaymentLimits,
  Money,
  PaymentOption,
  UnavailableOption,
  Storefront,
  Payment,
  NextAction,
  Refund,
  Merchant,
  Platform,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookEvent,
};
