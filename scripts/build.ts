// `npm run build`: the production build. Bundles every service into its
// dist/main.js (scripts/service-build.ts), builds the partner SDK into
// packages/sdk/dist as it is published (ESM and CommonJS, each with its type
// declarations; packages/sdk/tsup.config.ts), and builds the demo web app
// into web/dist. `npm run start:prod` and the bench run what it wrote.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { rebuildDemo } from './demo-build';
import { buildServices } from './service-build';

const SDK_DIR = join(__dirname, '..', 'packages', 'sdk');

/** tsup in its own process, from the SDK's folder, where it finds its config: what `npm pack` runs there too. */
function buildSdk(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('tsup/dist/cli-default.js'), '--silent'], { cwd: SDK_DIR, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`tsup exited with ${signal ?? `code ${code}`} building the SDK`))));
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
