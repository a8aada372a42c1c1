import { describe, expect, it } from 'vitest';
import { readParameters } from './parameters';

const from = (context: Record<string, unknown>) => readParameters((key) => context[key]);

describe('deployment parameters', () => {
  it('default to DocumentDB, a Valkey replication group, Cognito and no warm pool', () => {
    expect(from({})).toMatchObject({
      database: 'documentdb',
      cache: 'replication-group',
      auth: 'cognito',
      warmPoolSize: 0,
      runStartAllowanceSeconds: 180,
      workerEphemeralGiB: 50,
      retainData: true,
    });
  });
  it('parse command-line strings (-c warmPoolSize=3 -c retainData=false)', () => {
    expect(from({ warmPoolSize: '3', retainData: 'false' })).toMatchObject({ warmPoolSize: 3, retainData: false });
  });
  it('refuse incomplete or unknown settings with a message', () => {
    expect(() => from({ database: 'atlas' })).toThrow(/database=atlas needs atlasUriSecret and atlasEventSource/);
    expect(() => from({ auth: 'oidc', oidcIssuer: 'https://idp.example' })).toThrow(/auth=oidc needs oidcIssuer and oidcAudience/);
    expect(() => from({ modelProvider: 'anthropic' })).toThrow(/anthropicKeySecret/);
    expect(() => from({ consoleDomain: 'hangar.example.com' })).toThrow(/certificateArn/);
    expect(() => from({ warmPoolSize: '-1' })).toThrow(/warmPoolSize/);
    expect(() => from({ runStartAllowanceSeconds: '5' })).toThrow(/runStartAllowanceSeconds/);
    expect(() => from({ workerEphemeralGiB: 500 })).toThrow(/workerEphemeralGiB/);
  });
});
