import middy from '@middy/core';
import type { BatchResult, DocumentDbChangeEvent } from '../realtime/documentdb-relay';
import { awsComposition } from './aws-composition';

/**
 * DocumentDB change stream → event source mapping → this Lambda: pushes app data changes to
 * subscribed browsers, reporting partial batch failures so Lambda retries from the first failure.
 */
export const handler = middy<DocumentDbChangeEvent, BatchResult>().handler(async (event) => (await awsComposition()).relayChanges(event));
