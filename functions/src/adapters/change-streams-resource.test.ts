import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChangeStreamsResource } from './change-streams-resource';

let server: Server;
let url = '';
const received: { method: string; body: Record<string, unknown> }[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const event = (requestType: 'Create' | 'Update' | 'Delete', databaseName: string) =>
  ({
    RequestType: requestType,
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Hangar/1',
    RequestId: `req-${received.length}`,
    LogicalResourceId: 'ChangeStreams',
    ResourceType: 'Custom::DocumentDbChangeStreams',
    ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:x',
    ResourceProperties: { ServiceToken: 'x', DatabaseName: databaseName },
  }) as unknown as CloudFormationCustomResourceEvent;

describe('change-streams custom resource', () => {
  it('enables change streams on create and answers CloudFormation', async () => {
    const enabled: string[] = [];
    await createChangeStreamsResource({ enable: (name) => Promise.resolve(void enabled.push(name)) })(event('Create', 'hangar'));
    expect(enabled).toEqual(['hangar']);
    expect(received.at(-1)).toMatchObject({
      method: 'PUT',
      body: {
        Status: 'SUCCESS',
        PhysicalResourceId: 'hangar-change-streams-hangar',
        LogicalResourceId: 'ChangeStreams',
        RequestId: 'req-0',
      },
    });
  });
  it('reports a failure instead of leaving CloudFormation waiting, and does nothing on delete', async () => {
    await createChangeStreamsResource({ enable: () => Promise.reject(new Error('not authorized on admin')) })(event('Update', 'hangar'));
    expect(received.at(-1)?.body).toMatchObject({ Status: 'FAILED', Reason: 'not authorized on admin' });
    let called = false;
    await createChangeStreamsResource({ enable: () => Promise.resolve(void (called = true)) })(event('Delete', 'hangar'));
    expect(called).toBe(false);
    expect(received.at(-1)?.body).toMatchObject({ Status: 'SUCCESS' });
    await createChangeStreamsResource({ enable: () => Promise.resolve() })(event('Create', 'bad name; drop'));
    expect(received.at(-1)?.body).toMatchObject({ Status: 'FAILED' });
  });
});
