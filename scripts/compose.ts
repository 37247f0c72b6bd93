// `npm run compose` writes supergraph.graphql from supergraph.yaml;
// `--check` fails when the committed file is stale; `--if-stale` rewrites only when needed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { CompositionError, composeSupergraph, readSupergraphConfig } from '../gateway/src/composition';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'supergraph.yaml' },
    output: { type: 'string', default: 'supergraph.graphql' },
    check: { type: 'boolean', default: false },
  },
});

const config = readSupergraphConfig(values.config);
// rover pins composition with `federation_version: =X`; we compose with the
// installed @apollo/composition, so say so when the two differ.
const installed = (createRequire(__filename)('@apollo/composition/package.json') as { version: string }).version;
if (config.federationVersion?.startsWith('=') && config.federationVersion.slice(1) !== installed) {
  process.stderr.write(`${values.config} asks for federation_version ${config.federationVersion}, but @apollo/composition ${installed} is installed.\n`);
  process.exit(1);
}
let sdl: string;
try {
  sdl = composeSupergraph(config) + '\n';
} catch (error) {
  if (error instanceof CompositionError) {
    for (const { code, message } of error.errors) process.stderr.write(`${code}: ${message}\n`);
    process.exit(1);
  }
  throw error;
}
const current = existsSync(values.output) ? readFileSync(values.output, 'utf8') : '';
if (values.check) {
  if (current !== sdl) {
    process.stderr.write(`${values.output} is stale: run npm run compose and commit the result.\n`);
    process.exit(1);
  }
  process.stdout.write(`${values.output} is up to date.\n`);
} else if (current === sdl) {
  process.stdout.write(`${values.output} is up to date.\n`);
} else {
  writeFileSync(values.output, sdl);
  process.stdout.write(`Wrote ${values.output} (${config.subgraphs.map((s) => s.name).join(', ')}).\n`);
}
