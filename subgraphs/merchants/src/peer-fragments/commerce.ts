// What merchants asks commerce about its entities; typed by `npm run codegen`
// against commerce's schema (`../__generated__/commerce-peer.ts`).
import { entityFragment } from '@interop/kit/server';
import type { PlatformNameFragment, PlatformRuleForToolFragment, ToolAcceptedOnFragment } from '../__generated__/commerce-peer';

/** The platform's display name, which merchants provides on Storefront.platform; an answer at all says the platform exists. */
export const platformName = entityFragment<PlatformNameFragment>(/* GraphQL */ `
  fragment PlatformName on Platform {
    name
  }
`);

/** Every platform's name, for holding them all (see kit's held facts): a handful, so one page. */
export const platformNamesAll = /* GraphQL */ `
  query PlatformNamesAll {
    platforms {
      id
      ...PlatformName
    }
  }
`;

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
