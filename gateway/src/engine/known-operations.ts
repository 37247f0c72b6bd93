// The operations the engine has run through Apollo Server's pipeline, by
// their text: a repeat of one needs no parsing, validation or plugin hooks,
// only its variables checked and its plan run (see direct-answers). Bounded in
// bytes by the documents it keeps (which may outlive Apollo Server's document
// store); forgotten with the supergraph they were validated against.
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';

export interface KnownOperation {
  /** The engine's plan cache key. */
  key: string;
  /** Apollo Server's hash of the text, as the response cache keys answers by it. */
  queryHash: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** Memory for the kept operations, counted as their parsed documents take it. */
const KNOWN_OPERATIONS_MIB = 32;
/** A parsed document (with locations) against its text's length: measured at 90-120 bytes a character. */
const DOCUMENT_BYTES_PER_CHARACTER = 100;

export class KnownOperations {
  /** By text, then by the operation name the request gave ('' for none). */
  private readonly byText = new LRUCache<string, Map<string, KnownOperation>>({
    maxSize: KNOWN_OPERATIONS_MIB * 1024 * 1024,
    sizeCalculation: (_byName, text) => DOCUMENT_BYTES_PER_CHARACTER * text.length + 256,
  });
  /** The schema Apollo Server validates against; operations validated against another are not kept. */
  private schema: object | null = null;

  /** Called once an operation has passed Apollo Server's pipeline, validated against `schema`, and is about to run. */
  remember(text: string, operationName: string | undefined, known: KnownOperation, schema: object): void {
    if (schema !== this.schema) return;
    let byName = this.byText.get(text);
    if (!byName) this.byText.set(text, (byName = new Map()));
    byName.set(operationName ?? '', known);
  }

  find(text: string, operationName: string | undefined): KnownOperation | null {
    return this.byText.get(text)?.get(operationName ?? '') ?? null;
  }

  /** A new supergraph: nothing validated against the old one runs without Apollo Server again. */
  reset(schema: object): void {
    this.byText.clear();
    this.schema = schema;
  }
}
