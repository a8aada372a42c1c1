import type { DataScope } from '@hangar/protocol';

/** One stream: one collection of one app's data scope. */
export type DataStreamTarget = { workspaceId: string; appId: string; scope: DataScope; collection: string };

export const streamKey = (target: Pick<DataStreamTarget, 'appId' | 'scope' | 'collection'>) =>
  `${target.appId}\u0000${target.scope}\u0000${target.collection}`;
