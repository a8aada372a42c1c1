/**
 * How every Hangar Lambda is bundled, shared by the CDK app and `npm run bench` (which measures
 * the same bundles). Kept free of aws-cdk-lib so the bench can import it cheaply.
 */

/** Entry points under functions/src/entrypoints that the stack deploys. */
export const lambdaEntries = [
  'http.lambda.ts',
  'websocket.lambda.ts',
  'data-relay.lambda.ts',
  'atlas-relay.lambda.ts',
  'run-launcher.lambda.ts',
  'run-sweeper.lambda.ts',
  'documentdb-change-streams.lambda.ts',
  'model-gateway.lambda.ts',
  'schedule-fire.lambda.ts',
] as const;

/** Left out of bundles: the AWS SDK v3 (the runtime ships it) and MongoDB driver extras it never loads. */
export const bundleExternals = [
  '@aws-sdk/*',
  'kerberos',
  'snappy',
  '@mongodb-js/zstd',
  'mongodb-client-encryption',
  'gcp-metadata',
  'socks',
  'aws4',
];

/** esbuild settings of every bundle: one CommonJS file per function, minified, for Node 22+. */
export const bundleTarget = { format: 'cjs', target: 'node22', platform: 'node', minify: true } as const;
