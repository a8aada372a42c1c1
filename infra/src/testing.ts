import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HangarStack } from './hangar-stack';
import { parametersSchema, type HangarParameters } from './parameters';

// aws-cdk-lib writes a cache under $HOME: keep tests out of the real one.
process.env.HOME = mkdtempSync(join(tmpdir(), 'hangar-cdk-home-'));

/** A test app: bundling and asset staging skipped (no esbuild runs, no repo copy), output in a temp dir. */
export function testApp(): App {
  return new App({
    outdir: mkdtempSync(join(tmpdir(), 'hangar-cdk-out-')),
    context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true },
  });
}

/** Synthesizes a Hangar stack with these parameters (defaults otherwise). */
export function synthHangar(
  parameters: Partial<HangarParameters> = {},
  options: { modelGateway?: boolean; consoleAssets?: string | null } = {},
) {
  const app = testApp();
  const stack = new HangarStack(app, 'Hangar', {
    parameters: parametersSchema.parse(parameters),
    // A stand-in entry while model-gateway.lambda.ts is written elsewhere (bundling is skipped).
    modelGatewayEntry: options.modelGateway ? 'http.lambda.ts' : null,
    // Whether web/dist happens to be built must not change what a test sees.
    consoleAssets: options.consoleAssets ?? null,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of the one resource named `prefix` + an optional `Function` + CDK's 8-digit hash. */
export function logicalIdStartingWith(template: Template, type: string, prefix: string): string {
  const pattern = new RegExp(`^${prefix}(Function)?[0-9A-F]{8}$`);
  const ids = Object.keys(template.findResources(type)).filter((id) => pattern.test(id));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** A stand-in for web/dist: a directory with an index.html, as `npm run build -w web` leaves it. */
export function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-console-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Hangar</title>');
  return dir;
}
