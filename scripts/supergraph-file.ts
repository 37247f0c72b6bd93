// supergraph.graphql as `npm start` and `npm run cluster` serve it: composed
// again from supergraph.yaml and the subgraphs' schemas when it no longer
// matches them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, readSupergraphConfig } from '../gateway/src/composition';

const ROOT = join(__dirname, '..');
export const SUPERGRAPH_FILE = join(ROOT, 'supergraph.graphql');

/** Writes supergraph.graphql when it differs from a fresh composition; true when it did. */
export function composeIfStale(): boolean {
  const sdl = composeSupergraph(readSupergraphConfig(join(ROOT, 'supergraph.yaml'))) + '\n';
  if (existsSync(SUPERGRAPH_FILE) && readFileSync(SUPERGRAPH_FILE, 'utf8') === sdl) return false;
  writeFileSync(SUPERGRAPH_FILE, sdl);
  return true;
}
