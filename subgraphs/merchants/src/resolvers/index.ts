import type { Resolvers } from '../__generated__/resolvers';
import { Enrolment } from './Enrolment';
import { Merchant } from './Merchant';
import { MerchantConnection } from './MerchantConnection';
import { Mutation } from './Mutation';
import { Platform } from './Platform';
import { Query } from './Query';
import { Storefront } from './Storefront';

export const resolvers: Resolvers = { Query, Mutation, Merchant, MerchantConnection, Platform, Storefront, Enrolment };
