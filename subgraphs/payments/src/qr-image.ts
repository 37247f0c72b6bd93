// QR codes as images for NextAction.qrCode. The ledger keeps what a code
// encodes; the PNG is drawn when a client asks for it, once per payload per
// process: drawing costs a few milliseconds of CPU, and a payment is read far
// more often (polling, retries with its idempotency key) than it is created.
import QRCode from 'qrcode';

const MAX_CACHED = 1000;
const images = new Map<string, Promise<string>>();

/** A `data:image/png;base64,...` URL of a QR code that encodes `payload`. */
export function qrImage(payload: string): Promise<string> {
  const cached = images.get(payload);
  if (cached) return cached;
  const image = QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, scale: 4 });
  // Insertion order makes the oldest entry the first to go; a failed drawing is not kept.
  if (images.size >= MAX_CACHED) images.delete(images.keys().next().value ?? '');
  images.set(payload, image);
  image.catch(() => images.delete(payload));
  return image;
}
