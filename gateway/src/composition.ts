// Composes the supergraph from a rover-style supergraph.yaml with
// @apollo/composition (rover's npm package downloads a binary at install, which
// this project cannot rely on). Each subgraph's SDL is read as the subgraph
// reads it (kit's loadTypeDefs): its schema file with the shared error codes.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { loadTypeDefs } from '@interop/kit/server';
import YAML from 'yaml';

export interface SubgraphConfig {
  name: string;
  routingUrl: string;
  schemaFile: string;
}

export interface SupergraphConfig {
  federationVersion: string | undefined;
  subgraphs: SubgraphConfig[];
}

export class CompositionError extends Error {
  constructor(readonly errors: { code: string; message: string }[]) {
    super(errors.map((error) => `${error.code}: ${error.message}`).join('\n'));
    this.name = 'CompositionError';
  }
}

interface RawConfig {
  federation_version?: unknown;
  subgraphs?: Record<string, { routing_url?: unknown; schema?: { file?: unknown } }>;
}

export function readSupergraphConfig(path: string): SupergraphConfig {
  const raw = YAML.parse(readFileSync(path, 'utf8')) as RawConfig | null;
  const base = dirname(resolve(path));
  const entries = Object.entries(raw?.subgraphs ?? {});
  if (entries.length === 0) throw new Error(`${path}: no subgraphs`);
  return {
    federationVersion: typeof raw?.federation_version === 'string' ? raw.federation_version : undefined,
    subgraphs: entries.map(([name, subgraph]) => {
      const routingUrl = subgraph.routing_url;
      const file = subgraph.schema?.file;
      if (typeof routingUrl !== 'string' || typeof file !== 'string') {
        throw new Error(`${path}: subgraph ${name} needs routing_url and schema.file`);
      }
      return { name, routingUrl, schemaFile: resolve(base, file) };
    }),
  };
}

/** Composes the subgraphs; `routingUrls` replaces the configured URL by subgraph name (tests on free ports). */
export function composeSupergraph(config: SupergraphConfig, routingUrls: Readonly<Record<string, string>> = {}): string {
  const result = composeServices(
    config.subgraphs.map((subgraph) => ({
      name: subgraph.name,
      url: routingUrls[subgraph.name] ?? subgraph.routingUrl,
      typeDefs: loadTypeDefs(subgraph.schemaFile),
    })),
  );
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((error) => ({ code: String(error.extensions['code'] ?? 'COMPOSITION_ERROR'), message: error.message })),
    );
  }
  return result.supergraphSdl;
}
