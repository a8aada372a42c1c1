import middy from '@middy/core';
import type { DocumentDbChangeEvent } from '../realtime/documentdb-relay';
import { awsComposition } from './aws-composition';

/**
 * DocumentDB change stream → event source mapping → this Lambda: pushes app data changes to
 * subscribed browsers. The mapping has no partial-batch response, so a failure throws and Lambda
 * retries the whole batch; the relay skips changes it already relayed (idempotent by resume token).
 */
export const handler = middy<DocumentDbChangeEvent, void>().handler(async (event) =>
  (await awsComposition()).relayDocumentDbChanges(event),
);
