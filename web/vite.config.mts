// The demo is served by the gateway at /demo/. `npx vite` in web/ serves it
// with hot reload instead, sending GraphQL (the live payment status's
// WebSocket included) and /demo/config.json to a running gateway
// (GATEWAY_URL, default http://localhost:4000).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

export default defineConfig({
  base: '/demo/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/graphql': { target: gateway, ws: true }, '/demo/config.json': gateway } },
});
