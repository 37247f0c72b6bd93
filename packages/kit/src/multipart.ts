// A response body in parts (multipart/mixed, RFC 2046), each part one JSON
// document written as it comes, never buffered or compressed. Apollo Client
// and Apollo Router read two dialects of it: incremental delivery for @defer
// (see incremental) and subscriptions over HTTP (subscriptionSpec=1.0); they
// differ in the content type and the boundary, not in how parts are framed.
import type { ServerResponse } from 'node:http';

const PART_HEAD = '\r\ncontent-type: application/json; charset=utf-8\r\n\r\n';

export class MultipartWriter {
  private readonly delimiter: string;

  constructor(
    private readonly res: ServerResponse,
    boundary: string,
  ) {
    this.delimiter = `\r\n--${boundary}`;
  }

  /** Sends the headers with `contentType` (which names the boundary) and opens the body; call once, before the first part. */
  open(contentType: string): void {
    this.res.removeHeader('content-length');
    this.res.setHeader('content-type', contentType);
    this.res.write(this.delimiter);
  }

  /** Writes one part, the JSON text `json`; false when the client is gone. */
  part(json: string): boolean {
    if (this.res.destroyed || this.res.writableEnded) return false;
    this.res.write(`${PART_HEAD}${json}${this.delimiter}`);
    return true;
  }

  /** Ends the body with the closing delimiter: the client knows it has every part. */
  close(): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.end('--\r\n');
  }
}
