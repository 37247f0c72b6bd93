import type { Resolvers } from '../__generated__/resolvers';
import { PaymentTool } from './PaymentTool';
import { Platform } from './Platform';
import { PlatformAcceptance } from './PlatformAcceptance';
import { PlatformListing } from './PlatformListing';
import { Query } from './Query';

export const resolvers: Resolvers = { Query, Platform, PlatformAcceptance, PlatformListing, PaymentTool };
