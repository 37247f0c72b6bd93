// `npm run build:documents`: writes trusted-documents.json, the one manifest
// of the documents the project's own clients send, which the gateway loads
// (see gateway/src/trusted-documents.ts): the demo web app's, as GraphQL Code
// Generator's client preset lists them (web/src/gql/persisted-documents.json,
// `npm run codegen`, named by hash) and as the app sends them as text (its
// live subscription over WebSocket, and its fallback where a gateway lacks
// the manifest), and the partner SDK's, by the exact text it sends.
// Each is keyed `sha256:<hex of its text>`. `--check` fails when the committed
// manifest is stale.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as sdkOperations from '../packages/sdk/src/operations';
import * as webDocuments from '../web/src/gql/graphql';

const ROOT = join(__dirname, '..');
export const MANIFEST = join(ROOT, 'trusted-documents.json');
const WEB_DOCUMENTS = join(ROOT, 'web', 'src', 'gql', 'persisted-documents.json');

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function trustedDocumentsManifest(): string {
  const web = JSON.parse(readFileSync(WEB_DOCUMENTS, 'utf8')) as Record<string, string>;
  const sdk = (Object.values(sdkOperations) as unknown[]).filter((value): value is string => typeof value === 'string');
  // The generated documents' text as the app sends it; fragments alone are never sent.
  const webSent = (Object.values(webDocuments) as unknown[])
    // The client preset's documents are String objects (TypedDocumentString), not primitives.
    // eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
    .filter((value): value is String => value instanceof String)
    .map(String)
    .filter((text) => /^\s*(?:query|mutation|subscription)\b/.test(text));
  const entries = new Map<string, string>();
  // Keyed again by the text's own hash, so a key always names its text, whoever wrote it.
  for (const text of [...Object.values(web), ...webSent, ...sdk]) entries.set(`sha256:${sha256(text)}`, text);
  return `${JSON.stringify(Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const manifest = trustedDocumentsManifest();
  const current = existsSync(MANIFEST) ? readFileSync(MANIFEST, 'utf8') : '';
  if (values.check) {
    if (current !== manifest) {
      process.stderr.write('trusted-documents.json is stale: run npm run codegen, then npm run build:documents, and commit the result.\n');
      process.exit(1);
    }
    process.stdout.write('trusted-documents.json is up to date.\n');
  } else {
    writeFileSync(MANIFEST, manifest);
    process.stdout.write(`Wrote trusted-documents.json: ${manifest.split('\n').length - 3} documents.\n`);
  }
}
