import {
  App,
  AppVersion,
  BuilderInfo,
  CreateAppResponse,
  pageOf,
  PreviewLink,
  Run,
  RunEvent,
  VersionDiff,
  VersionFile,
  type PlanDecisionBody,
} from '@hangar/protocol';
import { request, type Schema } from './request';

const AppsPage = pageOf(App);
const RunsPage = pageOf(Run);
const RunEventsPage = pageOf(RunEvent);
const VersionsPage = pageOf(AppVersion);
const VersionFilesPage = pageOf(VersionFile);

/** `GET …/versions/:v/file`: protocol has no schema for it yet, so the client checks the two fields itself. */
export type FileText = { path: string; text: string };
const FileTextSchema: Schema<FileText> = {
  safeParse: (data) => {
    const value = data as Partial<FileText> | null;
    return typeof value === 'object' && value !== null && typeof value.path === 'string' && typeof value.text === 'string'
      ? { success: true, data: { path: value.path, text: value.text } }
      : { success: false, error: { issues: [{ message: 'expected { path, text }' }] } };
  },
};

const encode = encodeURIComponent;
const workspacePath = (workspaceId: string) => `/api/workspaces/${encode(workspaceId)}`;
const appPath = (workspaceId: string, appId: string) => `${workspacePath(workspaceId)}/apps/${encode(appId)}`;
const runPath = (workspaceId: string, runId: string) => `${workspacePath(workspaceId)}/runs/${encode(runId)}`;
const versionPath = (workspaceId: string, appId: string, versionId: string) =>
  `${appPath(workspaceId, appId)}/versions/${encode(versionId)}`;

/** The builder endpoints: apps, runs, versions and previews. */
export const builderApi = {
  builderInfo: (signal?: AbortSignal) => request('GET', '/api/builder', { schema: BuilderInfo, signal }),
  listApps: (workspaceId: string, signal?: AbortSignal) =>
    request('GET', `${workspacePath(workspaceId)}/apps`, { schema: AppsPage, signal }),
  createApp: (workspaceId: string, prompt: string) =>
    request('POST', `${workspacePath(workspaceId)}/apps`, { schema: CreateAppResponse, body: { prompt } }),
  getApp: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', appPath(workspaceId, appId), { schema: App, signal }),
  sendMessage: (workspaceId: string, appId: string, text: string) =>
    request('POST', `${appPath(workspaceId, appId)}/messages`, { schema: Run, body: { text } }),
  listRuns: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${appPath(workspaceId, appId)}/runs`, { schema: RunsPage, signal }),
  getRun: (workspaceId: string, runId: string, signal?: AbortSignal) =>
    request('GET', runPath(workspaceId, runId), { schema: Run, signal }),
  listRunEvents: (workspaceId: string, runId: string, after?: string, signal?: AbortSignal) =>
    request('GET', `${runPath(workspaceId, runId)}/events`, { schema: RunEventsPage, signal, query: { after } }),
  stopRun: (workspaceId: string, runId: string) => request('POST', `${runPath(workspaceId, runId)}/stop`, { schema: Run }),
  retryRun: (workspaceId: string, runId: string) => request('POST', `${runPath(workspaceId, runId)}/retry`, { schema: Run }),
  decidePlan: (workspaceId: string, runId: string, body: PlanDecisionBody) =>
    request('POST', `${runPath(workspaceId, runId)}/plan`, { schema: Run, body }),

  listVersions: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${appPath(workspaceId, appId)}/versions`, { schema: VersionsPage, signal }),
  listVersionFiles: (workspaceId: string, appId: string, versionId: string, signal?: AbortSignal) =>
    request('GET', `${versionPath(workspaceId, appId, versionId)}/files`, { schema: VersionFilesPage, signal }),
  versionFileText: (workspaceId: string, appId: string, versionId: string, path: string, signal?: AbortSignal) =>
    request('GET', `${versionPath(workspaceId, appId, versionId)}/file`, { schema: FileTextSchema, signal, query: { path } }),
  versionDiff: (workspaceId: string, appId: string, versionId: string, fromVersionId: string, signal?: AbortSignal) =>
    request('GET', `${versionPath(workspaceId, appId, versionId)}/diff`, { schema: VersionDiff, signal, query: { from: fromVersionId } }),
  restoreVersion: (workspaceId: string, appId: string, versionId: string) =>
    request('POST', `${versionPath(workspaceId, appId, versionId)}/restore`, { schema: AppVersion }),
  previewLink: (workspaceId: string, appId: string, versionId: string, signal?: AbortSignal) =>
    request('GET', `${versionPath(workspaceId, appId, versionId)}/preview`, { schema: PreviewLink, signal }),
};
