// The test graph's supergraph, composed once per `npm test` (packages/testing/src/jest/global-setup)
// instead of once per graph a test starts: composing costs 0.2-0.4 s of CPU,
// and some forty files start a graph. It is composed with a placeholder URL
// for each subgraph, which each graph then replaces with its own.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { composeSupergraph, readSupergraphConfig, type SupergraphConfig } from '../../../gateway/src/composition';

const ROOT = join(__dirname, '..', '..', '..');
/** Where global setup left the composed supergraph, for every test file of the run. */
const FILE_VARIABLE = 'INTEROP_TEST_SUPERGRAPH_FILE';

const placeholder = (name: string) => `http://${name}.placeholder.invalid/graphql`;

const config = (): SupergraphConfig => readSupergraphConfig(join(ROOT, 'supergraph.yaml'));

function composeWithPlaceholders(subgraphs: SupergraphConfig): string {
  return composeSupergraph(subgraphs, Object.fromEntries(subgraphs.subgraphs.map(({ name }) => [name, placeholder(name)])));
}

/** Global setup: composes the supergraph into a temporary file the test files read. */
export function composeForRun(): void {
  const file = join(mkdtempSync(join(tmpdir(), 'interop-supergraph-')), 'supergraph.graphql');
  writeFileSync(file, composeWithPlaceholders(config()));
  process.env[FILE_VARIABLE] = file;
}

/** Global teardown: removes that file. */
export function forgetRun(): void {
  const file = process.env[FILE_VARIABLE];
  if (file) rmSync(dirname(file), { recursive: true, force: true });
}

let composed: { config: SupergraphConfig; sdl: string } | undefined;

/** The supergraph routed to `urls` by subgraph name, the others to supergraph.yaml's URLs. Composes here when run outside `npm test`. */
export function supergraphRoutedTo(urls: Readonly<Record<string, string>>): string {
  if (!composed) {
    const subgraphs = config();
    const file = process.env[FILE_VARIABLE];
    composed = { config: subgraphs, sdl: file ? readFileSync(file, 'utf8') : composeWithPlaceholders(subgraphs) };
  }
  let sdl = composed.sdl;
  for (const { name, routingUrl } of composed.config.subgraphs) {
    sdl = sdl.replace(`url: "${placeholder(name)}"`, () => `url: ${JSON.stringify(urls[name] ?? routingUrl)}`);
  }
  return sdl;
}
