import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The one-file player: one script and one stylesheet that `loupe share`
// inlines into each file it writes (embedded by assets/assets.go).
export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } })],
  publicDir: false,
  build: {
    outDir: '../dist/share',
    emptyOutDir: true,
    assetsInlineLimit: 100000000,
    sourcemap: false,
    cssCodeSplit: false,
    lib: { entry: 'src/share/main.tsx', formats: ['iife'], name: 'LoupeShare', fileName: () => 'share.js', cssFileName: 'share' },
  },
  define: { 'process.env.NODE_ENV': '"production"' },
});
