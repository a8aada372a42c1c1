import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createAtlasRelay } from '../realtime/atlas-relay';
import { awsComposition } from './aws-composition';
import { logger } from './lambda-logger';

let relay: Promise<ReturnType<typeof createAtlasRelay>> | null = null;

/**
 * Atlas Database Trigger → partner event bus → rule → this Lambda: the same live-data relay as
 * DocumentDB's change stream. Errors throw, so EventBridge retries (then the rule's DLQ).
 */
export const handler = middy<unknown, { relayed: boolean }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    relay ??= awsComposition().then(({ relayDocumentDbChanges }) => createAtlasRelay(relayDocumentDbChanges, (message) => logger.warn(message)));
    return (await relay)(event);
  });
