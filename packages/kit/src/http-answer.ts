// How a whole answer's bytes leave the server: compressed with brotli or gzip
// when the client accepts it and the answer is worth it, and, when the answer
// may be cached publicly, with a strong ETag, so that a client revalidating
// with If-None-Match gets 304 and no body. Answers in parts and event streams
// never come through here: compressing them would hold parts back.
import { hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants as zlib, gzip, gzipSync, type BrotliOptions } from 'node:zlib';
import Negotiator from 'negotiator';

export type ContentEncoding = 'br' | 'gzip';

/**
 * Answers smaller than this are compressed on the event loop, larger ones on
 * libuv's thread pool. Handing an answer to the pool costs more CPU than
 * compressing it: the pool's thread is woken, and the loop again when it is
 * done (20 KB of JSON, one after another: brotli 0.33 ms of CPU on the pool,
 * 0.12 on the loop; gzip 1.34 and 0.47). 64 KB takes about 0.2 ms with
 * brotli and 0.45 ms with gzip on the loop, so no answer holds it for long;
 * larger ones go to the pool.
 */
export const COMPRESS_ON_LOOP_BELOW_BYTES = 64 * 1024;

// Quality 5 of 11: most of brotli's gain at a small part of its top quality's CPU, fit for answers made per request.
const brotliOptions = (body: Buffer): BrotliOptions => ({ params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } });
const brotliLater = promisify(brotliCompress);
const gzipLater = promisify(gzip);

const compressors: Record<ContentEncoding, { now(body: Buffer): Buffer; later(body: Buffer): Promise<Buffer> }> = {
  br: { now: (body) => brotliCompressSync(body, brotliOptions(body)), later: (body) => brotliLater(body, brotliOptions(body)) },
  gzip: { now: (body) => gzipSync(body), later: (body) => gzipLater(body) },
};

/** `body` in `encoding`: on the event loop below COMPRESS_ON_LOOP_BELOW_BYTES, on the thread pool from there. */
export async function compressAnswer(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  const compressor = compressors[encoding];
  return body.length < COMPRESS_ON_LOOP_BELOW_BYTES ? compressor.now(body) : compressor.later(body);
}

/** The encoding to answer `req` in, by its Accept-Encoding (q-values honoured, brotli preferred on a tie); null for none. */
export function acceptedEncoding(req: IncomingMessage, available: readonly ContentEncoding[] = ['br', 'gzip']): ContentEncoding | null {
  if (!req.headers['accept-encoding']) return null;
  // negotiator's `preferred` option (server order on equal q-values) is missing from its published types.
  const negotiator = new Negotiator(req) as Negotiator & { encoding(available: string[], options: { preferred: string[] }): string | undefined };
  const chosen = negotiator.encoding([...available, 'identity'], { preferred: [...available, 'identity'] });
  return chosen === 'br' || chosen === 'gzip' ? chosen : null;
}

/** Distinct `accept` headers whose choice is remembered for each list of media types, the oldest forgotten past this many: clients send few. */
const ACCEPT_HEADERS_KEPT = 256;
const mediaTypeChoices = new WeakMap<readonly string[], Map<string, string | null>>();

/**
 * The media type of `types` (in the server's order of preference) that
 * `accept` prefers, as negotiator picks it, or null when it takes none;
 * remembered per list and header, so a repeated `accept` is read once.
 */
export function preferredMediaType(accept: string, types: readonly string[]): string | null {
  let choices = mediaTypeChoices.get(types);
  if (!choices) mediaTypeChoices.set(types, (choices = new Map()));
  let chosen = choices.get(accept);
  if (chosen === undefined) {
    chosen = new Negotiator({ headers: { accept } }).mediaType([...types]) ?? null;
    if (choices.size >= ACCEPT_HEADERS_KEPT) choices.delete(choices.keys().next().value!);
    choices.set(accept, chosen);
  }
  return chosen;
}

export interface AnswerOptions {
  /** Answers of at least this many bytes are compressed when the client accepts it; undefined: never. */
  compressFrom?: number;
  /** Publicly cacheable answers get an ETag, and If-None-Match is honoured. */
  entityTags?: boolean;
}

/**
 * Ends `res` with `body`, the headers (status, content type, cache-control) already set.
 * With `entityTags`, a GET or POST answer that may be cached publicly gets an ETag and honours If-None-Match.
 */
export async function sendAnswer(req: IncomingMessage, res: ServerResponse, body: string, options: AnswerOptions): Promise<void> {
  let bytes: Buffer = Buffer.from(body, 'utf8');
  const encoding = options.compressFrom !== undefined && bytes.length >= options.compressFrom ? acceptedEncoding(req) : null;
  if (options.compressFrom !== undefined) res.appendHeader('vary', 'Accept-Encoding');
  const tag = options.entityTags && res.statusCode === 200 && publiclyCacheable(res.getHeader('cache-control')) ? entityTag(bytes, encoding) : null;
  if (tag) {
    res.setHeader('etag', tag);
    if (matches(req.headers['if-none-match'], tag)) {
      res.statusCode = 304;
      res.removeHeader('content-type');
      res.removeHeader('content-length');
      res.end();
      return;
    }
  }
  if (encoding) {
    bytes = await compressAnswer(bytes, encoding);
    res.setHeader('content-encoding', encoding);
  }
  res.setHeader('content-length', bytes.length);
  res.end(bytes);
}

function publiclyCacheable(header: number | string | string[] | undefined): boolean {
  const value = String(header ?? '').toLowerCase();
  const maxAge = /(?:^|[\s,])max-age=(\d+)/.exec(value);
  return /(?:^|[\s,])public(?:$|[\s,])/.test(value) && maxAge !== null && Number(maxAge[1]) > 0;
}

/** Strong, so it names these exact bytes: each encoding of an answer is a representation of its own, with its own tag. */
function entityTag(identity: Buffer, encoding: ContentEncoding | null): string {
  const digest = hash('sha256', identity, 'base64url').slice(0, 32);
  return `"${digest}${encoding ? `-${encoding}` : ''}"`;
}

/** If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix does not stop a match. */
function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}
