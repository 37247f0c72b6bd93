// Incremental delivery (@defer) over HTTP, in the format Apollo Client and
// Apollo Router use (multipart/mixed, deferSpec=20220824). Apollo Server runs
// a gateway's executor for one result only, so an executor that answers in
// parts returns the first part to Apollo Server as its result and leaves the
// rest in the request's scope (Apollo Server copies the context on the way in,
// and rebuilds the request it gives a gateway); the HTTP layer finds it there
// and writes the response as multipart/mixed: the first part as Apollo Server
// serialised it, then each later payload as it comes.
import type { ServerResponse } from 'node:http';
import { MultipartWriter } from './multipart';
import { requestScope } from './request-scope';

/** The content type of an answer in parts: what Apollo Client reads for @defer. */
export const MULTIPART_DEFER_CONTENT_TYPE = 'multipart/mixed; boundary="-"; deferSpec=20220824';

/** Whether this work runs for an HTTP request that can take an answer in parts. */
export function canSendLater(): boolean {
  return requestScope.getStore() !== undefined;
}

/**
 * Leaves the payloads that follow the request's first result in its scope:
 * each is the JSON text of one subsequent payload (`{"incremental":[...],"hasNext":...}`),
 * serialised when produced, the last with `"hasNext":false`.
 */
export function sendLater(payloads: AsyncIterable<string>): void {
  const scope = requestScope.getStore();
  if (!scope) throw new Error('An answer in parts outside an HTTP request');
  scope.later = payloads;
}

/** The payloads the request's executor left, once. */
export function takeLater(): AsyncIterable<string> | undefined {
  const scope = requestScope.getStore();
  const payloads = scope?.later;
  if (scope) delete scope.later;
  return payloads;
}

/** The first result's JSON with `"hasNext":true`, as the first part of a multipart answer carries it. */
function withHasNext(json: string): string {
  const text = json.trimEnd();
  return `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"hasNext":true}`;
}

/**
 * Writes a multipart answer: the first result, then each later payload as it
 * comes. A client that goes away stops the payloads; a failure while they
 * come ends the answer with a last part, so the client sees a complete body.
 */
export async function writeMultipart(res: ServerResponse, first: string, payloads: AsyncIterable<string>, onError: (error: unknown) => void): Promise<void> {
  const parts = new MultipartWriter(res, '-');
  parts.open(MULTIPART_DEFER_CONTENT_TYPE);
  parts.part(withHasNext(first));
  try {
    for await (const payload of payloads) {
      if (!parts.part(payload)) break;
    }
  } catch (error) {
    onError(error);
    parts.part('{"hasNext":false}');
  }
  parts.close();
}
