import { defineConfig } from 'vitest/config';

/**
 * Three projects, so the fast feedback loop stays fast:
 * - `unit`: modules on their own, with in-memory doubles and local fake servers; `npm run test:unit`.
 * - `integration`: real components together: the whole HTTP app and the relays on SQLite, the
 *   SQLite and Redis adapters, the WebSocket gateway with the AWS SDK, the local host, npm
 *   (real or scripted) processes, the template's dependency cache, tsc and Vite builds.
 *   A new such test outside these folders is named `*.integration.test.ts`.
 * - `e2e`: `scripts/e2e/`, the real host driven through the real worker and Chromium.
 * `npm test` runs all three.
 */
const allTests = [
  'protocol/src/**/*.test.ts',
  'functions/src/**/*.test.ts',
  'web/src/**/*.test.{ts,tsx}',
  'template/src/**/*.test.ts',
  'worker-container/src/**/*.test.ts',
  'scripts/**/*.test.ts',
  'infra/src/**/*.test.ts',
];
const e2eTests = ['scripts/e2e/**/*.test.ts'];
const integrationTests = [
  '**/*.integration.test.ts',
  'functions/src/http/**/*.test.ts',
  // CDK synthesis and cdk-nag over the whole app.
  'infra/src/**/*.test.ts',
  'functions/src/entrypoints/**/*.test.ts',
  'functions/src/realtime/data-relay.test.ts',
  'functions/src/realtime/documentdb-relay.test.ts',
  'functions/src/adapters/sqlite/**/*.test.ts',
  'functions/src/adapters/redis-*.test.ts',
  'functions/src/adapters/document-run-event-log.test.ts',
  'functions/src/adapters/local-websocket-gateway.test.ts',
  'worker-container/src/build/add-dependency-tool.test.ts',
  'worker-container/src/build/build-gate.test.ts',
  'worker-container/src/build/dependency-cache.test.ts',
  'worker-container/src/build/prepare-workspace.test.ts',
  'worker-container/src/offline/offline-app-build.test.ts',
];

const shared = {
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // The SDK only talks to local endpoints in tests; its Node 20 support notice is noise.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
};

export default defineConfig({
  test: {
    // Native SQLite and Chromium tests are CPU-heavy on 2-core machines: keep forks modest.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: allTests,
          exclude: [...e2eTests, ...integrationTests, '**/node_modules/**', 'cdk.out/**'],
        },
      },
      { test: { ...shared, name: 'integration', include: integrationTests, exclude: [...e2eTests, '**/node_modules/**', 'cdk.out/**'] } },
      { test: { ...shared, name: 'e2e', include: e2eTests, exclude: ['**/node_modules/**', 'cdk.out/**'] } },
    ],
  },
});
