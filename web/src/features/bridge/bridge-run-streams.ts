import type { RunStreamManager } from '../builder/run-stream-manager';
import type { BridgeRunStreams } from './agent-bridge';

/**
 * Agent runs followed over the tab's one run-stream WebSocket: the events it already holds first
 * (another view may follow the same run), then live ones; a refusal or revocation ends it.
 */
export function runStreamsForBridge(manager: RunStreamManager): BridgeRunStreams {
  return {
    follow: (workspaceId, runId, onEvent, onEnd) => {
      let ended = false;
      const release = manager.acquire(
        workspaceId,
        runId,
        () => {
          const { error } = manager.snapshot(runId);
          if (error && !ended) {
            ended = true;
            onEnd(error);
          }
        },
        onEvent,
      );
      for (const event of manager.eventsOf(runId)) onEvent(event);
      return release;
    },
  };
}
