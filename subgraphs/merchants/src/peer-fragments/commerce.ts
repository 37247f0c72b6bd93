// What merchants asks commerce about its entities; typed by `npm run codegen`
// against commerce's schema (`../__generated__/commerce-peer.ts`).
import { entityFragment } from '@interop/kit/server';
import type { PlatformIdFragment, PlatformRuleForToolFragment, ToolAcceptedOnFragment } from '../__generated__/commerce-peer';

/** Only whether the platform exists. */
export const platformId = entityFragment<PlatformIdFragment>(/* GraphQL */ `
  fragment PlatformId on Platform {
    id
  }
`);

/** The platform's rule for the tool `$toolId`, or null. */
export const platformRuleForTool = entityFragment<PlatformRuleForToolFragment>(/* GraphQL */ `
  fragment PlatformRuleForTool on Platform {
    acceptance(paymentToolId: $toolId) {
      status
      requiresMerchantOptIn
    }
  }
`);

/** Every platform's rule for the tool. */
export const toolAcceptedOn = entityFragment<ToolAcceptedOnFragment>(/* GraphQL */ `
  fragment ToolAcceptedOn on PaymentTool {
    acceptedOn {
      platform {
        id
      }
      status
      requiresMerchantOptIn
      checkoutRank
    }
  }
`);
