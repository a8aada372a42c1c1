import type { BridgeWritable, DataScope } from '@hangar/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type RefObject } from 'react';
import { readActiveIdentity } from '../../lib/active-identity';
import { api } from '../../lib/api';
import { queryKeys } from '../../lib/queries';
import { runStreams } from '../builder/run-stream-manager';
import { agentBridgeApi, localAgentRunMemory } from './agent-bridge-api';
import { BridgeHost } from './bridge-host';
import { runStreamsForBridge } from './bridge-run-streams';
import { dataStreams } from './data-stream-manager';

type AppBridgeOptions = { workspaceId: string; appId: string; scope: DataScope; readOnly?: boolean; writable?: BridgeWritable | undefined };

/**
 * Hosts the live-data bridge of a preview iframe: answers the app's `hello`, data and agent
 * requests with the console's own API access, and pushes live changes and agent run updates into the app. Messages from any
 * window other than this iframe's are ignored; replies go to that window only.
 */
export function useAppBridge(
  iframeRef: RefObject<HTMLIFrameElement | null>,
  { workspaceId, appId, scope, readOnly = false, writable }: AppBridgeOptions,
) {
  const queryClient = useQueryClient();
  // Compared by value: a refetched but equal answer keeps the bridge.
  const writableKey = writable ? JSON.stringify(writable) : '';

  useEffect(() => {
    const host = new BridgeHost({
      workspaceId,
      appId,
      scope,
      readOnly,
      ...(writableKey ? { writable: JSON.parse(writableKey) as BridgeWritable } : {}),
      target: () => iframeRef.current?.contentWindow ?? null,
      data: api,
      streams: dataStreams,
      onWrite: () => void queryClient.invalidateQueries({ queryKey: queryKeys.dataCollections(workspaceId, appId, scope) }),
      agents: {
        client: agentBridgeApi,
        runs: runStreamsForBridge(runStreams),
        memory: localAgentRunMemory(readActiveIdentity(), workspaceId, appId, scope),
      },
    });
    const onMessage = (event: MessageEvent) => host.handleEvent(event);
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
      host.dispose();
    };
  }, [iframeRef, workspaceId, appId, scope, readOnly, writableKey, queryClient]);
}
