// QR codes as images for NextAction.qrCode. The ledger keeps what a code
// encodes; the PNG is drawn when a client asks for it, once per payload per
// process: a payment is read far more often (polling, retries with its
// idempotency key) than it is created.
//
// qrcode lays out the modules; the PNG is drawn here as one grayscale channel,
// the pixels qrcode's own PNG renderer draws (4 px a module, a 2-module quiet
// zone) in about a third of its CPU and a little over half its bytes: that
// renderer fills RGBA, converts it, and tries every PNG filter on every row.
import QRCode from 'qrcode';
import { PNG } from 'pngjs';

const MAX_CACHED = 1000;
const images = new Map<string, string>();

const SCALE = 4;
const MARGIN = 2;
const BLACK = 0;
const WHITE = 255;
const GRAYSCALE = { colorType: 0, inputColorType: 0, inputHasAlpha: false } as const;

function draw(payload: string): string {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const side = (modules.size + 2 * MARGIN) * SCALE;
  const png = new PNG({ width: side, height: side, ...GRAYSCALE });
  png.data.fill(WHITE);
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) {
      if (!modules.get(row, column)) continue;
      const left = (MARGIN + column) * SCALE;
      for (let y = (MARGIN + row) * SCALE, bottom = y + SCALE; y < bottom; y += 1) png.data.fill(BLACK, y * side + left, y * side + left + SCALE);
    }
  }
  return `data:image/png;base64,${PNG.sync.write(png, GRAYSCALE).toString('base64')}`;
}

/** A `data:image/png;base64,...` URL of a QR code that encodes `payload`. */
export function qrImage(payload: string): string {
  const cached = images.get(payload);
  if (cached) return cached;
  const image = draw(payload);
  // Insertion order makes the oldest entry the first to go.
  if (images.size >= MAX_CACHED) images.delete(images.keys().next().value ?? '');
  images.set(payload, image);
  return image;
}
