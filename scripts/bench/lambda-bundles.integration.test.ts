import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaEntries } from '../../infra/src/lambda-bundles';
import { bundleLambda, coldInitMs } from './lambda-bundles.bench';

const out = mkdtempSync(path.join(tmpdir(), 'hangar-lambda-bundles-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// A bundle that throws while its modules load fails every cold start of that function on AWS
// (no import.meta.url in CommonJS, files that are not in the bundle): load each one as Lambda would.
describe('Lambda bundles', () => {
  it.each(lambdaEntries)(
    '%s bundles and loads in a fresh Node process',
    async (entry) => {
      const bundle = await bundleLambda(entry, out);
      expect(bundle, `${entry} is deployed by the stack, so it must exist`).not.toBeNull();
      expect(() => coldInitMs(bundle as string)).not.toThrow();
    },
    120_000,
  );
});
