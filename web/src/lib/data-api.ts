import { AppDocument, DataPage, type DataQuery, type DataScope } from '@hangar/protocol';
import { request, type Schema } from './request';

/** One collection of an app's data scope, with how many documents it holds. */
export type DataCollection = { name: string; count: number };
export type DataCollectionsPage = { items: DataCollection[]; nextCursor: string | null };

/** `GET …/data/:scope`: protocol has no schema for it, so the client checks the fields itself. */
const CollectionsSchema: Schema<DataCollectionsPage> = {
  safeParse: (data) => {
    const value = data as { items?: unknown; nextCursor?: unknown } | null;
    const items = typeof value === 'object' && value !== null && Array.isArray(value.items) ? (value.items as unknown[]) : null;
    const valid =
      items?.every((item) => {
        const each = item as Partial<DataCollection> | null;
        return typeof each === 'object' && each !== null && typeof each.name === 'string' && typeof each.count === 'number';
      }) ?? false;
    if (!items || !valid) return { success: false, error: { issues: [{ message: 'expected { items: [{ name, count }] }' }] } };
    const nextCursor = typeof value?.nextCursor === 'string' ? value.nextCursor : null;
    return { success: true, data: { items: items as DataCollection[], nextCursor } };
  },
};

const encode = encodeURIComponent;
const scopePath = (workspaceId: string, appId: string, scope: DataScope) =>
  `/api/workspaces/${encode(workspaceId)}/apps/${encode(appId)}/data/${encode(scope)}`;
const collectionPath = (workspaceId: string, appId: string, scope: DataScope, collection: string) =>
  `${scopePath(workspaceId, appId, scope)}/${encode(collection)}`;
const documentPath = (workspaceId: string, appId: string, scope: DataScope, collection: string, documentId: string) =>
  `${collectionPath(workspaceId, appId, scope, collection)}/${encode(documentId)}`;

/** Live app data: collections of JSON documents per app and data scope (draft or published). */
export const dataApi = {
  listCollections: (workspaceId: string, appId: string, scope: DataScope, signal?: AbortSignal) =>
    request('GET', scopePath(workspaceId, appId, scope), { schema: CollectionsSchema, signal }),
  listDocuments: (workspaceId: string, appId: string, scope: DataScope, collection: string, query?: DataQuery, signal?: AbortSignal) =>
    request('GET', collectionPath(workspaceId, appId, scope, collection), {
      schema: DataPage,
      signal,
      query: { query: query && Object.keys(query).length > 0 ? JSON.stringify(query) : undefined },
    }),
  getDocument: (workspaceId: string, appId: string, scope: DataScope, collection: string, documentId: string, signal?: AbortSignal) =>
    request('GET', documentPath(workspaceId, appId, scope, collection, documentId), { schema: AppDocument, signal }),
  insertDocument: (workspaceId: string, appId: string, scope: DataScope, collection: string, data: Record<string, unknown>) =>
    request('POST', collectionPath(workspaceId, appId, scope, collection), { schema: AppDocument, body: data }),
  updateDocument: (
    workspaceId: string,
    appId: string,
    scope: DataScope,
    collection: string,
    documentId: string,
    data: Record<string, unknown>,
  ) => request('PATCH', documentPath(workspaceId, appId, scope, collection, documentId), { schema: AppDocument, body: data }),
  removeDocument: (workspaceId: string, appId: string, scope: DataScope, collection: string, documentId: string) =>
    request('DELETE', documentPath(workspaceId, appId, scope, collection, documentId)),
};
