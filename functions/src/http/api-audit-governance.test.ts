import { afterEach, describe, expect, it } from 'vitest';
import { AuditEvent, type PublishedFrame, type WorkspaceSettings } from '@hangar/protocol';
import { csvCell } from '../domain/audit-export';
import { governanceWorld, publishVersion, type GovernanceWorld } from './governance-testing';

const json = async <T>(response: Response | Promise<Response>): Promise<T> => (await (await response).json()) as T;

/** Splits CSV text into rows of cells (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted && char === '"' && text[index + 1] === '"') {
      cell += '"';
      index++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && char === '\r' && text[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index++;
    } else {
      cell += char;
    }
  }
  return rows;
}

describe('audit log: export, retention, and the frame settings', () => {
  let world: GovernanceWorld;
  afterEach(async () => world.close());

  it('exports the filtered log as JSON Lines and CSV, streamed in pages', async () => {
    world = await governanceWorld();
    const { admin, creator, member } = world.clients;
    // More events than one export page (200), so the stream has to page.
    for (let index = 0; index < 230; index++) await creator.request('POST', `${world.a}/data/draft/leads`, { name: `Lead, "${index}"` });
    await creator.request('PATCH', world.a, { name: '=Leads, "quoted"' });

    const jsonl = await admin.request('GET', `${world.w}/audit-events/export?format=jsonl&action=data.inserted`);
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    expect(jsonl.headers.get('content-disposition')).toMatch(/attachment; filename="audit-.+\.jsonl"/);
    const lines = (await jsonl.text()).trim().split('\n');
    expect(lines).toHaveLength(230);
    const events = lines.map((line) => AuditEvent.parse(JSON.parse(line)));
    expect(new Set(events.map((event) => event.action))).toEqual(new Set(['data.inserted']));
    expect(new Set(events.map((event) => event.id)).size).toBe(230);

    const csv = await admin.request('GET', `${world.w}/audit-events/export?format=csv&action=app.renamed`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(await csv.text());
    expect(rows[0]).toEqual(['id', 'time', 'actorType', 'actorId', 'actorEmail', 'source', 'action', 'targetType', 'targetId', 'targetLabel', 'outcome', 'summary', 'metadata']);
    expect(rows).toHaveLength(2);
    const [, renamed] = rows;
    expect(renamed?.[6]).toBe('app.renamed');
    // The leading "=" is neutralized so a spreadsheet does not run it as a formula.
    expect(renamed?.[9]).toBe(`'=Leads, "quoted"`);
    expect(JSON.parse(renamed?.[12] ?? '{}')).toMatchObject({ to: '=Leads, "quoted"' });
    expect(csvCell('+1')).toBe("'+1");

    const searched = await admin.request('GET', `${world.w}/audit-events/export?format=jsonl&q=${encodeURIComponent('renamed Tracker')}`);
    expect((await searched.text()).trim().split('\n')).toHaveLength(1);

    expect((await member.request('GET', `${world.w}/audit-events/export?format=jsonl`)).status).toBe(403);
    for (const query of ['format=xml', '', 'format=csv&outcome=maybe', 'format=csv&from=yesterday', 'format=csv&extra=1']) {
      const bad = await admin.request('GET', `${world.w}/audit-events/export?${query}`);
      expect([query, bad.status]).toEqual([query, 400]);
      expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('purges events past the retention with a controllable clock, and audits the purge', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    world = await governanceWorld({ clock: { now: () => new Date(now) } });
    const { admin, owner } = world.clients;
    const retention = world.test.builder?.governance?.retention;
    if (!retention) throw new Error('no retention');
    const countAll = async () => world.test.store.collection('audit_events').count({ workspaceId: world.workspace.id });
    const before = await countAll();
    expect(before).toBeGreaterThan(0);

    now += 364 * 24 * 3600 * 1000;
    expect(await retention.purgeExpired()).toEqual([]);
    expect(await countAll()).toBe(before);

    now += 2 * 24 * 3600 * 1000;
    const purged = await retention.purgeExpired();
    expect(purged.find((entry) => entry.workspaceId === world.workspace.id)).toEqual({ workspaceId: world.workspace.id, purged: before });
    const remaining = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events`));
    expect(remaining.items.map((event) => event.action)).toEqual(['audit.purged']);
    expect(remaining.items[0]).toMatchObject({ actor: { type: 'system' }, source: 'system', metadata: { purged: before, retentionDays: 365 } });

    // A shorter retention is a setting, itself audited.
    const settings = await json<WorkspaceSettings>(owner.request('PATCH', `${world.w}/settings`, { auditRetentionDays: 30 }));
    expect(settings.auditRetentionDays).toBe(30);
    now += 31 * 24 * 3600 * 1000;
    await retention.purgeExpired();
    const after = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events`));
    expect(after.items.map((event) => event.action)).toEqual(['audit.purged']);
    expect(after.items[0]?.metadata).toMatchObject({ retentionDays: 30 });
    for (const body of [{ auditRetentionDays: 1 }, { auditRetentionDays: 'long' }, { frame: { popups: true } }, { other: 1 }]) {
      expect((await owner.request('PATCH', `${world.w}/settings`, body)).status).toBe(400);
    }
  });

  it('frame settings widen the published frame’s sandbox and CSP, never the builder preview, and are audited', async () => {
    world = await governanceWorld();
    const { admin, viewer, creator } = world.clients;
    const version = await world.buildVersion({ 'dist/index.html': '<p>hi</p>' });
    await publishVersion(world, version._id);
    expect((await admin.request('GET', `${world.w}/settings`)).status).toBe(200);
    const defaults = await json<WorkspaceSettings>(viewer.request('GET', `${world.w}/settings`));
    expect(defaults.frame).toEqual({ externalLinks: false, clipboardWrite: false, downloads: false });
    await admin.request('PATCH', `${world.w}/settings`, { frame: { externalLinks: true, clipboardWrite: true, downloads: true } });

    const frame = await json<PublishedFrame>(viewer.request('GET', `${world.w}/published-apps/${world.app.id}/frame`));
    expect(frame.sandbox).toBe('allow-scripts allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox allow-downloads');
    expect(frame.allow).toBe('clipboard-write');
    expect(frame.sandbox).not.toContain('allow-same-origin');
    const published = await world.test.app.request(`http://hangar.test${frame.url}`);
    expect(published.headers.get('content-security-policy')).toContain(`sandbox ${frame.sandbox};`);

    const link = await json<{ url: string }>(creator.request('GET', `${world.a}/versions/${version._id}/preview`));
    const draft = await world.test.app.request(`http://hangar.test${link.url}`);
    expect(draft.headers.get('content-security-policy')).toContain('sandbox allow-scripts allow-forms allow-modals;');

    const audit = await json<{ items: AuditEvent[] }>(admin.request('GET', `${world.w}/audit-events?action=settings.updated`));
    expect(audit.items[0]?.metadata).toMatchObject({ changes: { 'frame.downloads': { from: false, to: true } } });
  });

  it('answers bad input on the new routes with 4xx JSON, never a 500', async () => {
    world = await governanceWorld();
    const { owner } = world.clients;
    const version = await world.buildVersion({ 'dist/index.html': 'x' });
    const cases: [string, string, unknown, number][] = [
      ['POST', `${world.a}/reviews`, { versionId: 'nope' }, 400],
      ['POST', `${world.a}/reviews`, { versionId: version._id, extra: 1 }, 400],
      ['POST', `${world.a}/reviews`, { versionId: 'ver_missing' }, 404],
      ['POST', `${world.a}/reviews`, '{not json', 400],
      ['POST', `${world.w}/reviews/rev_missing/decision`, { decision: 'approve' }, 404],
      ['POST', `${world.w}/reviews/not-an-id/decision`, { decision: 'approve' }, 404],
      ['GET', `${world.w}/reviews?state=open`, undefined, 400],
      ['POST', `${world.a}/publish`, {}, 400],
      ['POST', `${world.a}/publish`, { versionId: version._id }, 409],
      ['PATCH', world.a, { name: '' }, 400],
      ['PATCH', world.a, { name: 'x'.repeat(500) }, 400],
      ['PUT', `${world.a}/collaborators`, { userIds: ['usr_nobody'] }, 400],
      ['PUT', `${world.a}/collaborators`, { userIds: [world.clients.viewer.me.identity.id] }, 400],
      ['PUT', `${world.a}/collaborators`, { users: [] }, 400],
      ['PUT', `${world.a}/visibility`, { teamIds: ['team_missing'] }, 400],
      ['POST', `${world.w}/teams`, { name: '' }, 400],
      ['POST', `${world.w}/teams`, { name: 'A', memberIds: ['usr_nobody'] }, 400],
      ['PATCH', `${world.w}/teams/team_missing`, { name: 'B' }, 404],
      ['POST', `${world.w}/teams/team_missing/members`, { userId: 'usr_x' }, 404],
      ['GET', `${world.w}/published-apps/app_missing/frame`, undefined, 404],
      ['DELETE', `${world.w}/apps/app_missing`, undefined, 404],
    ];
    for (const [method, path, body, status] of cases) {
      const response = await owner.request(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, status]);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(typeof answer.error.code === 'string' && answer.error.message.length > 0).toBe(true);
    }
    await owner.request('POST', `${world.w}/teams`, { name: 'Sales' });
    expect((await owner.request('POST', `${world.w}/teams`, { name: 'Sales' })).status).toBe(409);
  });
});
