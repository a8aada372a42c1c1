import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['protocol/src/**/*.test.ts', 'functions/src/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'template/src/**/*.test.ts', 'worker-container/src/**/*.test.ts', 'scripts/**/*.test.ts', 'infra/src/**/*.test.ts'],
    testTimeout: 30_000,
    // The SDK only talks to local endpoints in tests; its Node 20 support notice is noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 60_000,
    // Native SQLite and Chromium tests are CPU-heavy on 2-core machines: keep forks modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
