// The SDK as published: ESM (.mjs) and CommonJS (.cjs) builds of each entry,
// each with its own bundled type declarations (.d.mts for ESM; .d.ts, which
// this package's lack of `"type": "module"` makes CommonJS), so Node.js,
// bundlers and TypeScript under any module resolution read the format they
// load. Dependencies stay imports; `npm pack` builds it (prepack), and so does
// `npm run build` at the repository's root.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    // Runs anywhere: Node.js 20, browsers, workers.
    index: 'src/index.ts',
    // Node.js only (node:crypto): `@interop/sdk/webhooks`.
    webhooks: 'src/webhooks.ts',
  },
  format: ['esm', 'cjs'],
  outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
  dts: true,
  tsconfig: 'tsconfig.build.json',
  target: 'es2022',
  sourcemap: true,
  clean: true,
  // The entries share no code; one file per entry and format keeps the package plain to read.
  splitting: false,
});
