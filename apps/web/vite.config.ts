import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleBudget } from './build/bundle-budget.ts';

// The API (apps/api) listens on PASSMAN_PORT, 8080 by default, over HTTPS with its own
// self-signed certificate (hence `secure: false`; PASSMAN_API_URL=http://… when it runs with
// PASSMAN_TLS=off). In development the SPA runs on Vite's port and reaches the API through this
// proxy, so cookies stay same-origin (browsers accept Secure cookies from http://localhost).
const api = { target: process.env.PASSMAN_API_URL ?? 'https://127.0.0.1:8080', changeOrigin: false, secure: false } as const;

export default defineConfig({
  // The first load stays within 250 KiB of gzipped JavaScript.
  plugins: [react(), bundleBudget(250)],
  resolve: { tsconfigPaths: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: true,
  },
  server: { port: 5173, proxy: { '/api': api } },
  preview: { proxy: { '/api': api } },
});
