// Vite builds the web client from index.html into dist/web, which the server serves.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend = process.env.STEWARD_DEV_BACKEND ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: '.',
  base: '/',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Long-lived vendor chunks so an app update does not invalidate the framework code.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
            {
              name: 'vendor',
              test: /node_modules[\\/](react-router|@tanstack|i18next|react-i18next)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: backend, ws: true },
      '/healthz': backend,
      '/metrics': backend,
    },
  },
});
