import { Validations } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { HangarStack } from './hangar-stack';
import { parametersSchema, type HangarParameters } from './parameters';
import { builtConsole, testApp } from './testing';

/** Every acknowledgement recorded anywhere in the tree: rule id → reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason })),
        ),
    );
}

function checked(parameters: Partial<HangarParameters>, modelGateway: boolean, consoleAssets: string | null) {
  const app = testApp();
  new HangarStack(app, 'Hangar', {
    parameters: parametersSchema.parse(parameters),
    modelGatewayEntry: modelGateway ? 'http.lambda.ts' : null,
    consoleAssets,
  });
  const checks = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(checks);
  return { app, checks };
}

const console = builtConsole();
const variants: [string, Partial<HangarParameters>, boolean, string | null][] = [
  ['defaults: DocumentDB, Valkey replication group, Cognito, offline model, built console uploaded', {}, false, console],
  [
    'Atlas, ElastiCache Serverless, external OIDC, Bedrock gateway, warm pool, custom domains',
    {
      database: 'atlas',
      atlasUriSecret: 'hangar/atlas-uri',
      atlasEventSource: 'aws.partner/mongodb.com/stitch.trigger/65a1b2c3d4e5f60718293a4b',
      cache: 'serverless',
      auth: 'oidc',
      oidcIssuer: 'https://login.example.com/',
      oidcAudience: 'hangar-console',
      modelProvider: 'bedrock',
      warmPoolSize: 2,
      consoleDomain: 'hangar.example.com',
      previewDomain: 'preview.hangar-apps.example.net',
      certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0f5c7f2e-1111-2222-3333-444455556666',
    },
    true,
    null,
  ],
  ['Anthropic key through the gateway', { modelProvider: 'anthropic', anthropicKeySecret: 'hangar/anthropic-key' }, true, null],
];

describe('cdk-nag AwsSolutions checks', () => {
  it.each(variants)(
    'pass for %s',
    (_name, parameters, modelGateway, consoleAssets) => {
      const { app, checks } = checked(parameters, modelGateway, consoleAssets);
      const report = checks.validateScope(app);
      expect(
        report.violations.map(
          (violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`,
        ),
      ).toEqual([]);
      expect(report.success).toBe(true);
      // Synthesis runs the same plugin and would throw ValidationFailed on a finding.
      expect(() => app.synth()).not.toThrow();
    },
    180_000,
  );

  it('fail when an acknowledgement is missing (the check is live)', () => {
    const { app, checks } = checked({}, false, null);
    const stack = app.node.findChild('Hangar') as HangarStack;
    // A queue without a DLQ, unencrypted and reachable over plain HTTP, is flagged.
    new CfnQueue(stack, 'Unguarded', {});
    const report = checks.validateScope(app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  }, 120_000);

  it('carry a specific reason for every acknowledgement', () => {
    for (const [, parameters, modelGateway, consoleAssets] of variants) {
      const { app } = checked(parameters, modelGateway, consoleAssets);
      const recorded = acknowledgements(app);
      expect(recorded.length).toBeGreaterThan(10);
      for (const { path, id, reason } of recorded) {
        expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(60);
        expect(reason, `${path} ${id}`).not.toMatch(/^(ok|fine|n\/a|suppressed|not needed|ignore)/i);
      }
    }
  }, 180_000);
});
