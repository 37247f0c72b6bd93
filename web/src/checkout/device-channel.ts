// The channel a buyer on this device checks out on. A phone's or tablet's
// browser is H5, where wallets open by a jump into their app; a QR code there
// would ask the buyer to scan their own screen. Anything else is a web page.
import type { Channel } from '../gql/graphql';

interface UserAgentData {
  /** User-Agent Client Hints: true on a phone or tablet (Chromium browsers). */
  mobile?: boolean;
}

export function deviceChannel(): Channel {
  const hints = (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
  // A touch screen as the main pointer says phone or tablet where the hints are missing (Safari, Firefox).
  const mobile = hints?.mobile === true || window.matchMedia('(pointer: coarse)').matches;
  return mobile ? 'H5' : 'WEB';
}
