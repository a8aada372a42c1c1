import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the Docker build context of the worker and the esbuild project root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A Lambda entry point under functions/src/entrypoints. */
export const lambdaEntry = (file: string) => join(repoRoot, 'functions', 'src', 'entrypoints', file);

/** The model gateway is written separately; the stack adds it once its entry point exists. */
export const modelGatewayEntry = lambdaEntry('model-gateway.lambda.ts');
export const modelGatewayEntryExists = () => existsSync(modelGatewayEntry);

/** The built console (`npm run build -w web`); deployed only when it exists. */
export const consoleDist = join(repoRoot, 'web', 'dist');
export const consoleDistExists = () => existsSync(join(consoleDist, 'index.html'));
