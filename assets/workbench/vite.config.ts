import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The bundle is committed under assets/dist/workbench and embedded by
// assets/assets.go, so paths are relative and nothing loads from a CDN.
export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
  base: './',
  build: {
    outDir: '../dist/workbench',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
});
