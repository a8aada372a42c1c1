/**
 * Platform build configuration: the agent cannot change this file, and the worker resets it
 * from the template before every build (see docs/decisions/0008-build-sandbox.md).
 */
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { workspaceConfinement } from './platform/workspace-confinement';

/** Absolute path of `src/`, without Node's `path` module so the config needs no `@types/node`. */
const sourceDirectory = decodeURIComponent(new URL('./src', import.meta.url).pathname);

export default defineConfig({
  // First: every file any later plugin reads must be inside the workspace.
  plugins: [workspaceConfinement(), react(), tailwindcss()],
  // The preview iframe may serve dist/ from any path, so every asset URL is relative.
  base: './',
  // One cache per app: workspaces can share a node_modules, and concurrent builds must not share `.vite`.
  cacheDir: 'node_modules/.vite-app',
  // Only the app's own VITE_HANGAR_* variables reach the bundle (never anything else of the environment).
  envPrefix: 'VITE_HANGAR_',
  resolve: {
    alias: { '@': sourceDirectory },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Only the modules an import uses are compiled from a side-effect-free barrel: a named import
    // from lucide-react compiles one icon, not its 2,000+ modules (the bundle is the same).
    rolldownOptions: { experimental: { lazyBarrel: true } },
  },
  // A sandboxed iframe without allow-same-origin has an opaque origin: its module script and
  // stylesheet are cross-origin requests, so `vite preview` must answer them with CORS headers.
  preview: { cors: true },
});
