// `npm run build`: the production build. Bundles every service into its
// dist/main.js (scripts/service-build.ts), compiles the partner SDK to
// packages/sdk/dist (JavaScript and type declarations), and builds the demo
// web app into web/dist. `npm run start:prod` and the bench run what it wrote.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { rebuildDemo } from './demo-build';
import { buildServices } from './service-build';

const SDK_PROJECT = join(__dirname, '..', 'packages', 'sdk', 'tsconfig.build.json');

function buildSdk(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', SDK_PROJECT], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`tsc exited with ${signal ?? `code ${code}`} building the SDK`))));
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  await Promise.all([
    buildServices().then(() => console.log('Built the services into each one\'s dist/main.js.')),
    buildSdk().then(() => console.log('Built the SDK into packages/sdk/dist.')),
    rebuildDemo().then(() => console.log('Built the demo web app into web/dist.')),
  ]);
  console.log(`Build done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
