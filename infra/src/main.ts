import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HangarStack } from './hangar-stack';
import { readParameters } from './parameters';

/**
 * The CDK app: one Hangar stack, checked against the AWS Solutions rules on every synthesis.
 * The stack is environment-agnostic: `cdk deploy` targets the account and region of the
 * credentials in use, and nothing is looked up at synthesis.
 */
const app = new App();
const parameters = readParameters((key) => app.node.tryGetContext(key));
const stackName: unknown = app.node.tryGetContext('stackName');
new HangarStack(app, typeof stackName === 'string' && stackName ? stackName : 'Hangar', {
  parameters,
  description: 'Hangar: a governed workspace for AI-built internal apps',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
