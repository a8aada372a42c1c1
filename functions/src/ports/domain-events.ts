/**
 * The domain event port: services announce changes that other parts of the product must react
 * to at once (today: access changes, which revoke open subscriptions). Publishing is awaited, so
 * when a request that removed a member returns, that member's streams are already revoked.
 * Adapter: `createInProcessDomainEvents` (below); each process reacts to the events it
 * publishes, and state that other processes need (the subscription registry) is shared.
 */
import type { Role } from '@hangar/protocol';

/** A change of who may see what (a new member only gains access: nothing to revoke, but consoles hear of it). */
export type DomainEvent =
  | { type: 'member.added'; workspaceId: string; userId: string }
  | { type: 'member.removed'; workspaceId: string; userId: string }
  | { type: 'member.role_changed'; workspaceId: string; userId: string; from: Role; to: Role }
  | { type: 'app.access_changed'; workspaceId: string; appId: string };

export interface DomainEventPublisher {
  /** Runs every handler; a handler's failure is reported to `onHandlerError`, never to the publisher. */
  publish(event: DomainEvent): Promise<void>;
}

export interface DomainEvents extends DomainEventPublisher {
  /** Adds a handler; returns a function that removes it. */
  subscribe(handler: (event: DomainEvent) => Promise<void>): () => void;
}

/** A publisher with no handlers, for code that builds services without a composition. */
export const noDomainEvents: DomainEventPublisher = { publish: () => Promise.resolve() };

/** Handlers in this process, run one after another in subscription order. */
export function createInProcessDomainEvents(onHandlerError: (error: unknown, event: DomainEvent) => void): DomainEvents {
  const handlers = new Set<(event: DomainEvent) => Promise<void>>();
  return {
    async publish(event) {
      for (const handler of [...handlers]) {
        try {
          await handler(event);
        } catch (error) {
          // The change itself is committed; a reaction that failed is logged, not turned into a 500.
          onHandlerError(error, event);
        }
      }
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}
