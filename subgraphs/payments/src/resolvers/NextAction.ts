import type { NextActionResolvers } from '../__generated__/resolvers';
import { qrImage } from '../qr-image';

export const NextAction: NextActionResolvers = {
  // The row holds what the code encodes; clients get the image.
  qrCode: ({ qrCode }) => (qrCode === null ? null : qrImage(qrCode)),
};
