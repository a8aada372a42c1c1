import type { HangarDocument } from './hangar';
import { compareDocuments, hasSortKeys, matchesFilter, sortDocuments } from './hangar-query';
import { withoutUndefined } from './hangar-store';

/**
 * Pure helpers behind the client's cache: how confirmed changes and pending (optimistic) writes
 * change what a query shows. Queries are re-evaluated locally with the same filter and sort code
 * the in-memory store uses, so a live change lands where the server would have put it.
 */

/** A write applied locally but not yet answered by the console. */
export type PendingWrite =
  | { seq: number; kind: 'insert'; id: string; document: HangarDocument }
  | { seq: number; kind: 'update'; id: string; changes: Record<string, unknown> }
  | { seq: number; kind: 'remove'; id: string };

/** Which documents a query has loaded: its filter and sort, and where the loaded pages end. */
export type QueryWindow = {
  filter: unknown;
  sort: unknown;
  /** The cursor of the next page, or null when every matching document is loaded. */
  nextCursor: string | null;
  /** The last document of the loaded pages while more pages exist (the cursor's position). */
  boundary: HangarDocument | null;
};

/** Merges update `changes` into a document: a field set to undefined is removed, `_id` never changes. */
export function mergeChanges(document: HangarDocument, changes: Record<string, unknown>): HangarDocument {
  return { ...withoutUndefined({ ...document, ...changes }), _id: document._id };
}

/** Whether `candidate` is an older version of `current` (by `_updatedAt`), e.g. a late response. */
export function isOlder(candidate: HangarDocument, current: HangarDocument): boolean {
  const [next, previous] = [candidate['_updatedAt'], current['_updatedAt']];
  return typeof next === 'string' && typeof previous === 'string' && next < previous;
}

/**
 * Whether a matching document belongs to the loaded pages. Past the last loaded document it belongs
 * to a page not fetched yet (`loadMore` brings it); without a sort only documents already shown stay.
 */
export function inWindow(window: QueryWindow, document: HangarDocument, wasShown: boolean): boolean {
  if (window.nextCursor === null) return true;
  if (!window.boundary || !hasSortKeys(window.sort)) return wasShown;
  return compareDocuments(document, window.boundary, window.sort) <= 0;
}

function belongs(window: QueryWindow, document: HangarDocument, wasShown: boolean): boolean {
  return matchesFilter(document, window.filter) && inWindow(window, document, wasShown);
}

/** A query's confirmed documents after the server says document `id` is now `document` (null: deleted). */
export function applyConfirmed(base: HangarDocument[], window: QueryWindow, id: string, document: HangarDocument | null): HangarDocument[] {
  const current = base.find((item) => item._id === id);
  if (document && current && isOlder(document, current)) return base;
  if (!document || !belongs(window, document, current !== undefined)) return current ? base.filter((item) => item._id !== id) : base;
  return sortDocuments(current ? base.map((item) => (item._id === id ? document : item)) : [...base, document], window.sort);
}

/** Documents as the pending writes leave them: id → document, or null when removed. */
export function overlayOf(
  pending: readonly PendingWrite[],
  known: (id: string) => HangarDocument | undefined,
): Map<string, HangarDocument | null> {
  const overlay = new Map<string, HangarDocument | null>();
  for (const write of pending) {
    if (write.kind === 'insert') overlay.set(write.id, write.document);
    else if (write.kind === 'remove') overlay.set(write.id, null);
    else {
      const current = overlay.has(write.id) ? overlay.get(write.id) : known(write.id);
      // Updating a document this page has never seen: nothing to show until the server answers.
      if (current) overlay.set(write.id, mergeChanges(current, write.changes));
    }
  }
  return overlay;
}

/** What a query shows: its confirmed documents with the pending writes applied, filtered and sorted. */
export function viewOf(base: HangarDocument[], window: QueryWindow, overlay: Map<string, HangarDocument | null>): HangarDocument[] {
  if (overlay.size === 0) return base;
  const shown = new Set<string>();
  const documents: HangarDocument[] = [];
  for (const item of base) {
    shown.add(item._id);
    const document = overlay.has(item._id) ? overlay.get(item._id) : item;
    if (document && (document === item || belongs(window, document, true))) documents.push(document);
  }
  for (const [id, document] of overlay) if (document && !shown.has(id) && belongs(window, document, false)) documents.push(document);
  return sortDocuments(documents, window.sort);
}

/** Whether two lists hold the same documents (by identity) in the same order. */
export function sameItems<T>(left: readonly T[], right: readonly T[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}
