// `npm run compose` / `compose:check` as CI and developers run them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished, runTs } from '@interop/testing/processes';
import { scratchDir } from '@interop/testing/scratch-dir';

const dir = scratchDir('compose-');

function writeConfig(schemas: Record<string, string>): string {
  const lines = ['federation_version: =2.14.4', 'subgraphs:'];
  for (const [name, sdl] of Object.entries(schemas)) {
    const file = join(dir, `${name}.graphql`);
    writeFileSync(file, sdl);
    lines.push(`  ${name}:`, `    routing_url: http://127.0.0.1:1/${name}`, '    schema:', `      file: ${file}`);
  }
  const config = join(dir, `supergraph-${Object.keys(schemas).join('-')}.yaml`);
  writeFileSync(config, lines.join('\n') + '\n');
  return config;
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n';

test('the committed supergraph.graphql is what supergraph.yaml composes to', async () => {
  const result = await finished(runTs('scripts/compose.ts', ['--check']));
  expect(result.code).toBe(0);
});

test('compose writes a supergraph that --check then accepts, and --check fails on a stale file', async () => {
  const config = writeConfig({ a: `${LINK}type Query { a: String }`, b: `${LINK}type Query { b: Int }` });
  const output = join(dir, 'out.graphql');
  expect((await finished(runTs('scripts/compose.ts', ['--config', config, '--output', output]))).code).toBe(0);
  expect(readFileSync(output, 'utf8')).toContain('join__Graph');
  expect((await finished(runTs('scripts/compose.ts', ['--config', config, '--output', output, '--check']))).code).toBe(0);
  writeFileSync(output, readFileSync(output, 'utf8') + '\n# edited\n');
  expect((await finished(runTs('scripts/compose.ts', ['--config', config, '--output', output, '--check']))).code).toBe(1);
});

test('composition errors print each code and exit non-zero', async () => {
  const config = writeConfig({
    left: `${LINK}type Query { t: T } type T @key(fields: "id") { id: ID! size: Int }`,
    right: `${LINK}type T @key(fields: "id") { id: ID! size: String }`,
  });
  const result = await finished(runTs('scripts/compose.ts', ['--config', config, '--output', join(dir, 'never.graphql')]));
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^[A-Z_]+: /m);
});
