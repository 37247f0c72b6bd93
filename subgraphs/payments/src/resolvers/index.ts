import type { Resolvers } from '../__generated__/resolvers';
import { Money } from './Money';
import { PaymentLimits } from './PaymentLimits';
import { PaymentOption } from './PaymentOption';
import { PaymentTool } from './PaymentTool';
import { Query } from './Query';
import { Storefront } from './Storefront';

export const resolvers: Resolvers = { Query, PaymentTool, PaymentLimits, Money, PaymentOption, Storefront };
