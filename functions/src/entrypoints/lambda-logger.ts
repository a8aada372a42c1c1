import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per container (AWS Lambda Powertools). The middy middleware
 * `injectLambdaContext` adds the request id and cold-start flag; handlers append `runId`.
 * The service name comes from POWERTOOLS_SERVICE_NAME, which the stack sets per function.
 */
export const logger = new Logger();
