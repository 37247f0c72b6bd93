// NextAction.qrCode's image: a PNG a phone's camera reads back to the
// payload, pixel for pixel what qrcode's own PNG renderer draws.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { qrImage } from '../qr-image';

const PREFIX = 'data:image/png;base64,';
const decoded = (url: string) => PNG.sync.read(Buffer.from(url.slice(PREFIX.length), 'base64'));

const PAYLOADS = [
  'http://127.0.0.1:4010/sandbox/payments/pay_01J9ZK3Q7W5N8V2XH4M6T0R1YB?channel=WEB',
  'https://wallet.example.com/sandbox/payments/pay_x',
  `https://wallet.example.com/pay/${'a'.repeat(300)}`,
];

test.each(PAYLOADS)('%s: scans back to the payload, with the pixels of qrcode’s renderer', async (payload) => {
  const url = qrImage(payload);
  expect(url.startsWith(PREFIX)).toBe(true);
  const image = decoded(url);
  expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(payload);
  const reference = decoded(await QRCode.toDataURL(payload, { errorCorrectionLevel: 'M', margin: 2, scale: 4 }));
  expect([image.width, image.height]).toEqual([reference.width, reference.height]);
  expect(image.data.equals(reference.data)).toBe(true);
});
