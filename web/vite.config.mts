// The demo is served by the gateway at /demo/. `npx vite` in web/ serves it
// with hot reload instead, sending GraphQL (the live payment status's
// WebSocket included) and /demo/config.json to a running gateway
// (GATEWAY_URL, default http://localhost:4000).
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  base: '/demo/',
  // Each text file of 1 KiB or more also as .br and .gz beside it, compressed once here at
  // their best ratio; the gateway serves the one the browser accepts (gateway/src/demo.ts).
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, include: /\.(html|js|css|json|svg|txt)$/ })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // GraphiQL's own chunk is some 800 kB (its editors and plugins): loaded by /graphiql only, never by the demo.
    chunkSizeWarningLimit: 1024,
    // Two pages: the demo app, and GraphiQL (the gateway serves it at /graphiql).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      },
    },
  },
  server: { proxy: { '/graphql': { target: gateway, ws: true }, '/demo/config.json': gateway, '/graphiql/config.json': gateway } },
});
