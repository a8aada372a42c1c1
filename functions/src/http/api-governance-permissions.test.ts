import { describe, expect, it } from 'vitest';
import type { Review, Team } from '@hangar/protocol';
import type { VersionRecord } from '../domain/records';
import { governanceWorld, type GovernanceCaller, type GovernanceWorld } from './governance-testing';

type Caller = GovernanceCaller | 'anonymous';

interface Fixture {
  world: GovernanceWorld;
  version: VersionRecord;
  review: Review;
  team: Team;
}

interface RouteCase {
  name: string;
  method: string;
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  /** Runs before the call (e.g. an approval a publish needs). */
  prepare?: (f: Fixture) => Promise<void>;
  expected: Record<Caller, number>;
}

const all = (ok: number, overrides: Partial<Record<Caller, number>> = {}): Record<Caller, number> => ({
  owner: ok,
  admin: ok,
  creator: ok,
  collaborator: ok,
  member: ok,
  viewer: ok,
  foreign: 404,
  anonymous: 401,
  ...overrides,
});
const admins = (ok: number) => all(ok, { creator: 403, collaborator: 403, member: 403, viewer: 403 });
const builders = (ok: number) => all(ok, { member: 403, viewer: 403 });
const creatorAndAdmins = (ok: number) => all(ok, { collaborator: 403, member: 403, viewer: 403 });

const approve = async (f: Fixture) => {
  await f.world.clients.admin.request('POST', `${f.world.w}/reviews/${f.review.id}/decision`, { decision: 'approve' });
};
const publish = async (f: Fixture) => {
  await approve(f);
  await f.world.clients.admin.request('POST', `${f.world.a}/publish`, { versionId: f.version._id });
};

const routes: RouteCase[] = [
  { name: 'POST reviews', method: 'POST', path: (f) => `${f.world.a}/reviews`, body: (f) => ({ versionId: f.version._id }), expected: builders(201) },
  { name: 'GET reviews', method: 'GET', path: (f) => `${f.world.w}/reviews?state=pending`, expected: all(200, { viewer: 403 }) },
  { name: 'GET review', method: 'GET', path: (f) => `${f.world.w}/reviews/${f.review.id}`, expected: builders(200) },
  {
    name: 'POST review decision',
    method: 'POST',
    path: (f) => `${f.world.w}/reviews/${f.review.id}/decision`,
    body: () => ({ decision: 'request_changes', note: 'more' }),
    expected: admins(200),
  },
  { name: 'POST publish', method: 'POST', path: (f) => `${f.world.a}/publish`, body: (f) => ({ versionId: f.version._id }), prepare: approve, expected: admins(200) },
  { name: 'POST unpublish', method: 'POST', path: (f) => `${f.world.a}/unpublish`, prepare: publish, expected: admins(200) },
  { name: 'PATCH app', method: 'PATCH', path: (f) => f.world.a, body: () => ({ name: 'Renamed' }), expected: builders(200) },
  { name: 'DELETE app', method: 'DELETE', path: (f) => f.world.a, expected: creatorAndAdmins(204) },
  { name: 'GET app (draft)', method: 'GET', path: (f) => f.world.a, expected: builders(200) },
  { name: 'GET app (published)', method: 'GET', path: (f) => f.world.a, prepare: publish, expected: all(200) },
  { name: 'GET collaborators', method: 'GET', path: (f) => `${f.world.a}/collaborators`, expected: builders(200) },
  {
    name: 'PUT collaborators',
    method: 'PUT',
    path: (f) => `${f.world.a}/collaborators`,
    body: (f) => ({ userIds: [f.world.clients.collaborator.me.identity.id, f.world.clients.member.me.identity.id] }),
    expected: creatorAndAdmins(200),
  },
  { name: 'PUT visibility', method: 'PUT', path: (f) => `${f.world.a}/visibility`, body: (f) => ({ teamIds: [f.team.id] }), expected: creatorAndAdmins(200) },
  { name: 'GET published-apps', method: 'GET', path: (f) => `${f.world.w}/published-apps`, expected: all(200) },
  { name: 'GET published frame', method: 'GET', path: (f) => `${f.world.w}/published-apps/${f.world.app.id}/frame`, prepare: publish, expected: all(200) },
  { name: 'GET published frame (unpublished)', method: 'GET', path: (f) => `${f.world.w}/published-apps/${f.world.app.id}/frame`, expected: all(404, { member: 403, viewer: 403 }) },
  { name: 'GET teams', method: 'GET', path: (f) => `${f.world.w}/teams`, expected: all(200) },
  { name: 'POST teams', method: 'POST', path: (f) => `${f.world.w}/teams`, body: () => ({ name: 'Sales' }), expected: admins(201) },
  { name: 'PATCH team', method: 'PATCH', path: (f) => `${f.world.w}/teams/${f.team.id}`, body: () => ({ name: 'Ops 2' }), expected: admins(200) },
  { name: 'DELETE team', method: 'DELETE', path: (f) => `${f.world.w}/teams/${f.team.id}`, expected: admins(204) },
  {
    name: 'POST team member',
    method: 'POST',
    path: (f) => `${f.world.w}/teams/${f.team.id}/members`,
    body: (f) => ({ userId: f.world.clients.viewer.me.identity.id }),
    expected: admins(201),
  },
  {
    name: 'DELETE team member',
    method: 'DELETE',
    path: (f) => `${f.world.w}/teams/${f.team.id}/members/${f.world.clients.member.me.identity.id}`,
    expected: admins(200),
  },
  { name: 'GET settings', method: 'GET', path: (f) => `${f.world.w}/settings`, expected: all(200) },
  { name: 'PATCH settings', method: 'PATCH', path: (f) => `${f.world.w}/settings`, body: () => ({ frame: { downloads: true } }), expected: admins(200) },
  { name: 'GET audit export', method: 'GET', path: (f) => `${f.world.w}/audit-events/export?format=jsonl`, expected: admins(200) },
];

async function makeFixture(): Promise<Fixture> {
  const world = await governanceWorld();
  const version = await world.buildVersion({ 'dist/index.html': 'x' });
  const review = (await (await world.clients.creator.request('POST', `${world.a}/reviews`, { versionId: version._id })).json()) as Review;
  const team = (await (
    await world.clients.owner.request('POST', `${world.w}/teams`, { name: 'Ops', memberIds: [world.clients.member.me.identity.id] })
  ).json()) as Team;
  await world.clients.creator.request('PUT', `${world.a}/collaborators`, { userIds: [world.clients.collaborator.me.identity.id] });
  return { world, version, review, team };
}

async function call(fixture: Fixture, route: RouteCase, caller: Caller): Promise<number> {
  const path = route.path(fixture);
  const body = route.body?.(fixture);
  const response =
    caller === 'anonymous'
      ? await fixture.world.test.app.request(`http://hangar.test${path}`, {
          method: route.method,
          headers: { origin: 'http://hangar.test', 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
      : await fixture.world.clients[caller].request(route.method, path, body);
  if (response.status >= 400) {
    const error = (await response.json()) as { error?: { code?: unknown } };
    expect(typeof error.error?.code).toBe('string');
  }
  return response.status;
}

describe('governance routes: role × route × foreign workspace', () => {
  for (const route of routes) {
    it(route.name, async () => {
      const callers = Object.keys(route.expected) as Caller[];
      const seen: Record<string, number> = {};
      // Refusals change nothing, so they share one world; each success that changes state gets a fresh one.
      const shared = await makeFixture();
      const fixtures = [shared];
      try {
        if (route.prepare) await route.prepare(shared);
        for (const caller of callers.filter((candidate) => route.expected[candidate] >= 300 || route.method === 'GET')) {
          seen[caller] = await call(shared, route, caller);
        }
        for (const caller of callers.filter((candidate) => route.expected[candidate] < 300 && route.method !== 'GET')) {
          const fresh = await makeFixture();
          fixtures.push(fresh);
          if (route.prepare) await route.prepare(fresh);
          seen[caller] = await call(fresh, route, caller);
        }
      } finally {
        for (const fixture of fixtures) await fixture.world.close();
      }
      expect(seen).toEqual(route.expected);
    });
  }
});
