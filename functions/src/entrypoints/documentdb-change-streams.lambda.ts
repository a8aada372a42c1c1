import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { MongoClient } from 'mongodb';
import { environmentVariables as env } from '@hangar/protocol';
import { resolveMongoUri } from '../adapters/aws-secret-config';
import { createChangeStreamsResource } from '../adapters/change-streams-resource';
import { awsClients, requiredEnv } from './aws-runtime';
import { logger } from './lambda-logger';

/** Custom resource at deploy time: enables DocumentDB change streams on the Hangar database. */
export const handler = (event: CloudFormationCustomResourceEvent) =>
  createChangeStreamsResource({
    enable: async (databaseName) => {
      const client = new MongoClient(await resolveMongoUri(awsClients.secrets, requiredEnv(env.mongodbSecretArn)), {
        serverSelectionTimeoutMS: 20_000,
      });
      try {
        await client.db('admin').command({ modifyChangeStreams: 1, database: databaseName, collection: '', enable: true });
      } finally {
        await client.close();
      }
    },
    log: (message) => logger.error(message),
  })(event);
