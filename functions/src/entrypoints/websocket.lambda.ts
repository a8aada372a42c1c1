import { awsComposition } from './aws-composition';
import { createWebSocketLambdaHandler } from './websocket-lambda-handler';

/** API Gateway WebSocket API → the session handlers. */
export const handler = createWebSocketLambdaHandler(async () => (await awsComposition()).websocketHandlers);
