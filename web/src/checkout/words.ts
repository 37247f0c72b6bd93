// The checkout's enums as a buyer reads them.
import type { Channel, NextActionType, UnavailableReason } from '../gql/graphql';

export const REASON_WORDS: Readonly<Record<UnavailableReason, string>> = {
  PLATFORM_NOT_ACCEPTING: 'Not taken on this platform',
  NOT_YET_LIVE: 'Not live here yet',
  TOOL_UNAVAILABLE: 'Not taking payments right now',
  MERCHANT_SUSPENDED: 'Merchant suspended',
  MERCHANT_INELIGIBLE: 'Merchant not eligible to open it',
  MERCHANT_NOT_OPTED_IN: 'Merchant has not opened it',
  CHANNEL_NOT_SUPPORTED: 'Does not work on this channel',
  UNDER_LIMIT: 'Amount below its minimum',
  OVER_LIMIT: 'Amount above its maximum',
};

export const CHANNELS: readonly { value: Channel; label: string }[] = [
  { value: 'WEB', label: 'Web page on a computer' },
  { value: 'H5', label: 'Phone browser (H5)' },
  { value: 'APP', label: 'The platform’s app' },
  { value: 'MINI_PROGRAM', label: 'Mini-program in a super-app' },
];

export const NEXT_ACTION_WORDS: Readonly<Record<NextActionType, string>> = {
  REDIRECT: 'opens the wallet to approve',
  QR_CODE: 'shows a QR code to scan',
};
