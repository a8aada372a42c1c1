import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@hangar/protocol';
import { createSqliteDocumentStore } from '../adapters/sqlite/sqlite-document-store';
import type { DocumentStore } from '../ports/document-store';
import { AppAccess } from './app-access';
import { AuditLog } from './audit-log';
import { governanceCollections, type TeamRecord } from './governance-records';
import type { AppRecord, MembershipRecord } from './records';
import { WorkspaceAccess } from './workspace-access';
import { mayReceiveWorkspaceChange, type WorkspaceChange } from './workspace-event-audience';
import { sortableIdGenerator } from '../ports/id-generator';
import { systemClock } from '../ports/clock';

const at = '2026-12-01T20:00:00.000Z';
const member = (userId: string, role: Role): MembershipRecord => ({
  _id: `mem_${userId}`,
  workspaceId: 'wsp_1',
  userId,
  email: `${userId}@example.com`,
  name: userId,
  role,
  joinedAt: at,
});
const draft: AppRecord = {
  _id: 'app_1',
  workspaceId: 'wsp_1',
  name: 'Leads',
  createdBy: 'usr_creator',
  createdAt: at,
  updatedAt: at,
  latestVersionId: 'ver_1',
  latestRunId: null,
  latestRunStatus: null,
  collaboratorIds: ['usr_collab'],
};
const published: AppRecord = { ...draft, publishedVersionId: 'ver_1', publishedAt: at };

describe('who hears of a workspace change (the live console’s per-event rule)', () => {
  let store: DocumentStore;
  let appAccess: AppAccess;
  const people = {
    owner: member('usr_owner', 'owner'),
    admin: member('usr_admin', 'admin'),
    creator: member('usr_creator', 'member'),
    collaborator: member('usr_collab', 'member'),
    member: member('usr_member', 'member'),
    teamMember: member('usr_team', 'viewer'),
    viewer: member('usr_viewer', 'viewer'),
  };
  type Person = keyof typeof people;

  beforeAll(async () => {
    store = createSqliteDocumentStore({ filename: ':memory:' });
    appAccess = new AppAccess(store, new WorkspaceAccess(store, new AuditLog(store, sortableIdGenerator, systemClock)));
    await store.collection<TeamRecord>(governanceCollections.teams).insertOne({
      _id: 'team_1',
      workspaceId: 'wsp_1',
      name: 'Sales',
      memberIds: ['usr_team'],
      createdAt: at,
      createdBy: 'usr_owner',
    });
  });
  afterAll(async () => store.close());

  const audience = async (change: Omit<WorkspaceChange, 'workspaceId' | 'at'>, now: AppRecord | null): Promise<Person[]> => {
    const heard: Person[] = [];
    for (const [name, membership] of Object.entries(people) as [Person, MembershipRecord][]) {
      if (await mayReceiveWorkspaceChange(appAccess, { workspaceId: 'wsp_1', at, ...change }, now, membership)) heard.push(name);
    }
    return heard;
  };
  const builders: Person[] = ['owner', 'admin', 'creator', 'collaborator'];

  it('a draft app’s events reach its builders only; its draft-side events stay with them once published', async () => {
    expect(await audience({ kind: 'app.renamed', appId: 'app_1' }, draft)).toEqual(builders);
    expect(await audience({ kind: 'version.created', appId: 'app_1', targetId: 'ver_2' }, published)).toEqual(builders);
    expect(await audience({ kind: 'review.requested', appId: 'app_1', targetId: 'rev_1' }, published)).toEqual(builders);
  });

  it('a published app’s events reach everyone it is visible to: the workspace, or its teams', async () => {
    expect(await audience({ kind: 'app.published', appId: 'app_1' }, published)).toEqual(Object.keys(people));
    const forSales = { ...published, teamIds: ['team_1'] };
    expect(await audience({ kind: 'app.renamed', appId: 'app_1' }, forSales)).toEqual([...builders, 'teamMember']);
  });

  it('changes that hide an app reach those who saw it before: unpublish, delete, narrower visibility, a removed collaborator', async () => {
    expect(await audience({ kind: 'app.unpublished', appId: 'app_1', appBefore: published }, draft)).toEqual(Object.keys(people));
    expect(await audience({ kind: 'app.deleted', appId: 'app_1', appBefore: published }, null)).toEqual(Object.keys(people));
    expect(await audience({ kind: 'app.deleted', appId: 'app_1', appBefore: draft }, null)).toEqual(builders);
    const forSales = { ...published, teamIds: ['team_1'] };
    expect(await audience({ kind: 'app.visibility_changed', appId: 'app_1', appBefore: published }, forSales)).toEqual(Object.keys(people));
    const withoutCollaborator = { ...draft, collaboratorIds: [] };
    expect(await audience({ kind: 'app.collaborators_changed', appId: 'app_1', appBefore: draft }, withoutCollaborator)).toEqual(builders);
    // A record of another app or workspace never counts.
    expect(await audience({ kind: 'app.deleted', appId: 'app_2', appBefore: published }, null)).toEqual([]);
  });

  it('workspace-wide events follow the permission table', async () => {
    expect(await audience({ kind: 'member.role_changed', targetId: 'usr_member' }, null)).toEqual(Object.keys(people));
    expect(await audience({ kind: 'team.members_changed', targetId: 'team_1' }, null)).toEqual(Object.keys(people));
    expect(await audience({ kind: 'audit.purged' }, null)).toEqual(['owner', 'admin']);
    // An app event without its app tells nobody.
    expect(await audience({ kind: 'app.renamed' }, null)).toEqual([]);
  });
});
