// Answers are compressed on the event loop below a size and on the thread
// pool from it: either way, each encoding gives back the answer's exact bytes.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { COMPRESS_ON_LOOP_BELOW_BYTES, compressAnswer, type ContentEncoding } from '../http-answer';

/** A JSON answer of exactly `size` bytes. */
function answerOf(size: number): Buffer {
  const head = '{"data":{"note":"';
  const tail = '"}}';
  const filler = Array.from({ length: size - head.length - tail.length }, (_, i) => 'abcdefghij'[(i * 7) % 10]).join('');
  return Buffer.from(`${head}${filler}${tail}`);
}

const decompress: Record<ContentEncoding, (bytes: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync };

describe.each(['br', 'gzip'] as const)('%s', (encoding) => {
  test.each([
    ['just under the size compressed on the loop', COMPRESS_ON_LOOP_BELOW_BYTES - 1],
    ['at the size sent to the thread pool', COMPRESS_ON_LOOP_BELOW_BYTES],
    ['of 1 KB', 1024],
  ])('an answer %s comes back whole, and smaller', async (_name, size) => {
    const body = answerOf(size);
    expect(body.length).toBe(size);
    const compressed = await compressAnswer(body, encoding);
    expect(compressed.length).toBeLessThan(body.length);
    expect(decompress[encoding](compressed).equals(body)).toBe(true);
  });
});
