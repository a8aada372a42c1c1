import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import type { AnthropicMessagesClient } from './anthropic-messages-stream';
import { streamAnthropicMessages } from './anthropic-messages-stream';
import type { ModelEvent, ModelProvider, ModelRequest } from './model-provider';

export interface BedrockProviderOptions {
  /** AWS region of the Bedrock runtime; defaults to `AWS_REGION`. */
  region?: string;
  /**
   * Static credentials, for tests and special cases. Without them the SDK signs with the AWS
   * default credential chain (the task role on Fargate), so no key leaves the account.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** A different Bedrock runtime endpoint (VPC endpoint, local fake). */
  baseURL?: string;
  client?: AnthropicMessagesClient;
  maxRetries?: number;
  promptCache?: boolean;
}

/**
 * The model provider for Claude on Amazon Bedrock. Model ids are Bedrock ids or inference
 * profiles, e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0`.
 */
export class BedrockProvider implements ModelProvider {
  readonly name = 'bedrock';
  readonly #client: AnthropicMessagesClient;
  readonly #promptCache: boolean;

  constructor(options: BedrockProviderOptions = {}) {
    this.#client = options.client ?? createBedrockClient(options);
    this.#promptCache = options.promptCache ?? true;
  }

  stream(request: ModelRequest): AsyncIterable<ModelEvent> {
    return streamAnthropicMessages(this.#client, request, { promptCache: this.#promptCache, providerLabel: 'Amazon Bedrock' });
  }
}

/** An AnthropicBedrock client that signs with AWS credentials (never a Bedrock API key from the environment). */
export function createBedrockClient(options: BedrockProviderOptions): AnthropicBedrock {
  const common = {
    // `null` keeps AWS_BEARER_TOKEN_BEDROCK out: the worker authenticates with its IAM role.
    apiKey: null,
    ...(options.region !== undefined ? { awsRegion: options.region } : {}),
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
  };
  const { credentials } = options;
  if (!credentials) return new AnthropicBedrock(common);
  return new AnthropicBedrock({
    ...common,
    awsAccessKey: credentials.accessKeyId,
    awsSecretKey: credentials.secretAccessKey,
    awsSessionToken: credentials.sessionToken ?? null,
  });
}
