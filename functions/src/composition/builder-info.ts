import type { BuilderInfo } from '@hangar/protocol';

/** What the console shows about the model: from the same variables the worker reads. */
export function builderInfoFromEnvironment(env: Record<string, string | undefined> = process.env): BuilderInfo {
  const provider = env.HANGAR_MODEL_PROVIDER ?? (env.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  if (provider === 'offline') {
    return {
      provider,
      model: 'offline-generator-1',
      offline: true,
      note: 'Apps are built by the offline generator: describe a tracker or list with its fields ("a tracker for customer leads with name, email, company, status and next call date"), then ask to "add a field priority" or "rename the app to …". Set ANTHROPIC_API_KEY for the full agent.',
    };
  }
  return { provider, model: env.HANGAR_MODEL ?? 'default', offline: false, note: '' };
}
