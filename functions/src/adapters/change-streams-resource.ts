import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

export interface ChangeStreamsResourceDeps {
  /** Enables change streams on every collection of the database (DocumentDB's modifyChangeStreams). */
  enable: (databaseName: string) => Promise<void>;
  /** PUTs the response document to CloudFormation's pre-signed URL. */
  respond?: (url: string, body: string) => Promise<void>;
  log?: (message: string) => void;
}

const putResponse = async (url: string, body: string) => {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!response.ok) throw new Error(`CloudFormation response upload failed: ${response.status}`);
};

/**
 * A CloudFormation custom resource (no provider framework): on Create and Update it enables
 * DocumentDB change streams on the Hangar database, which the relay's event source mapping
 * needs; Delete leaves them on. It always answers CloudFormation, so a failure fails the deploy
 * at once instead of after the one-hour custom-resource timeout.
 */
export function createChangeStreamsResource(deps: ChangeStreamsResourceDeps) {
  const respond = deps.respond ?? putResponse;
  return async (event: CloudFormationCustomResourceEvent): Promise<void> => {
    const requested: unknown = (event.ResourceProperties as Record<string, unknown>).DatabaseName;
    const databaseName = typeof requested === 'string' ? requested : '';
    let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
    let reason = 'change streams enabled';
    try {
      if (!/^[a-z][a-z0-9_]{0,38}$/.test(databaseName)) throw new Error(`invalid DatabaseName ${JSON.stringify(databaseName)}`);
      if (event.RequestType !== 'Delete') await deps.enable(databaseName);
      else reason = 'left enabled';
    } catch (error) {
      status = 'FAILED';
      reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      deps.log?.(`enabling change streams failed: ${reason}`);
    }
    await respond(
      event.ResponseURL,
      JSON.stringify({
        Status: status,
        Reason: reason,
        PhysicalResourceId: `hangar-change-streams-${databaseName || 'invalid'}`,
        StackId: event.StackId,
        RequestId: event.RequestId,
        LogicalResourceId: event.LogicalResourceId,
      }),
    );
  };
}
