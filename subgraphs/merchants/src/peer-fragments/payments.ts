// What merchants asks payments about its entities; typed by `npm run codegen`
// against payments' schema (`../__generated__/payments-peer.ts`).
import { entityFragment } from '@interop/kit/server';
import type { ToolOperationalStatusFragment } from '../__generated__/payments-peer';

/** Whether the tool exists, and whether it takes payments now. */
export const toolOperationalStatus = entityFragment<ToolOperationalStatusFragment>(/* GraphQL */ `
  fragment ToolOperationalStatus on PaymentTool {
    id
    operationalStatus
  }
`);
