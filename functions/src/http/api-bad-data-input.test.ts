import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDocument, AuditEvent, CreateAppResponse, DataPage } from '@hangar/protocol';
import type { RunLauncher } from '../ports/run-launcher';
import { createTestApp, type TestClient } from './testing';

const launcher: RunLauncher = { kind: 'none', launch: () => Promise.resolve(), stop: () => Promise.resolve() };

/** `{"a":{"a":…1…}}`, `levels` objects deep, as raw JSON text (building it as a value would not change what the server parses). */
const nestedObjects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const nestedArrays = (levels: number) => '{"a":' + '['.repeat(levels) + ']'.repeat(levels) + '}';

async function expectRefused(response: Response, status: number, code: string, mentions?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toMatch(mentions);
}

describe('bad data input: deep nesting and JavaScript-reserved keys answer 4xx and write nothing', () => {
  let blobDir: string;
  let test: Awaited<ReturnType<typeof createTestApp>>;
  let owner: TestClient;
  let workspaceId: string;
  let base: string;
  let existing: AppDocument;

  const documents = async () => ((await (await owner.request('GET', base)).json()) as DataPage).items;
  const dataAudits = async () => {
    const page = (await (await owner.request('GET', `/api/workspaces/${workspaceId}/audit-events?limit=200`)).json()) as {
      items: AuditEvent[];
    };
    return page.items.filter((event) => event.action.startsWith('data.')).map((event) => event.action);
  };

  beforeAll(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'hangar-bad-data-'));
    test = await createTestApp({ builder: { launcher, blobDir } });
    owner = await test.signIn('Olive', 'olive@example.com');
    workspaceId = (await test.workspaceWith(owner, [])).id;
    const created = (await (
      await owner.request('POST', `/api/workspaces/${workspaceId}/apps`, { prompt: 'A tracker for leads' })
    ).json()) as CreateAppResponse;
    base = `/api/workspaces/${workspaceId}/apps/${created.app.id}/data/draft/leads`;
    const response = await owner.request('POST', base, { name: 'Ada', address: { city: 'London' } });
    expect(response.status).toBe(201);
    existing = (await response.json()) as AppDocument;
  });
  afterAll(async () => {
    await test.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const badDocuments: [label: string, body: string, mentions: RegExp][] = [
    ['objects nested 5,000 levels deep', nestedObjects(5_000), /nested deeper than 16/],
    ['arrays nested 5,000 levels deep', nestedArrays(5_000), /nested deeper than 16/],
    ['objects nested 17 levels deep', nestedObjects(17), /nested deeper than 16/],
    ['a top-level "__proto__" key', '{"name":"Eve","__proto__":{"isAdmin":true}}', /"__proto__" is not allowed/],
    ['a nested "__proto__" key', '{"name":"Eve","profile":{"__proto__":{"isAdmin":true}}}', /"__proto__" is not allowed/],
    ['a "constructor" key', '{"name":"Eve","constructor":{"prototype":1}}', /"constructor" is not allowed/],
    ['a "prototype" key inside an array', '{"tags":[{"prototype":1}]}', /"prototype" is not allowed/],
  ];

  for (const [label, body, mentions] of badDocuments) {
    it(`POST a document with ${label} → 400 validation_failed, nothing inserted`, async () => {
      await expectRefused(await owner.request('POST', base, body), 400, 'validation_failed', mentions);
      expect((await documents()).map((document) => document._id)).toEqual([existing._id]);
      expect(await dataAudits()).toEqual(['data.inserted']);
    });
    it(`PATCH a document with ${label} → 400 validation_failed, the document unchanged`, async () => {
      await expectRefused(await owner.request('PATCH', `${base}/${existing._id}`, body), 400, 'validation_failed', mentions);
      expect(await documents()).toEqual([existing]);
      expect(await dataAudits()).toEqual(['data.inserted']);
    });
  }

  // Raw JSON text: in a JavaScript object literal `__proto__` would set the prototype instead of a key.
  const badQueries: [label: string, query: string, mentions: RegExp][] = [
    ['a filter on "__proto__"', '{"filter":{"__proto__":{"$exists":true}}}', /"__proto__" is reserved/],
    ['a filter on a dotted path through "__proto__"', '{"filter":{"address.__proto__":{"$exists":true}}}', /"__proto__" is reserved/],
    ['a filter on "constructor"', '{"filter":{"constructor":{"$exists":true}}}', /"constructor" is reserved/],
    ['a "__proto__" filter inside $or', '{"filter":{"$or":[{"name":"Ada"},{"__proto__":{"$exists":true}}]}}', /"__proto__" is reserved/],
    ['a sort on "__proto__"', '{"sort":{"__proto__":1}}', /"__proto__" is reserved/],
    ['a sort on "address.prototype"', '{"sort":{"address.prototype":1}}', /reserved by JavaScript/],
  ];
  for (const [label, query, mentions] of badQueries) {
    it(`GET with ${label} → 400 validation_failed instead of matching everything`, async () => {
      await expectRefused(await owner.request('GET', `${base}?query=${encodeURIComponent(query)}`), 400, 'validation_failed', mentions);
    });
  }

  it('a query string nested thousands of levels deep is refused by its size, not by a stack overflow', async () => {
    const deep = '{"filter":' + '{"$and":['.repeat(1_000) + '{}' + ']}'.repeat(1_000) + '}';
    await expectRefused(await owner.request('GET', `${base}?query=${encodeURIComponent(deep)}`), 400, 'validation_failed');
    const shallowEnough = '{"filter":' + '{"$and":['.repeat(50) + '{}' + ']}'.repeat(50) + '}';
    await expectRefused(
      await owner.request('GET', `${base}?query=${encodeURIComponent(shallowEnough)}`),
      400,
      'validation_failed',
      /nested too deeply/,
    );
  });

  it('ordinary documents and queries still work after all of that', async () => {
    const response = await owner.request('POST', base, { name: 'Grace', nested: { deep: { enough: [1, 2, { three: 3 }] } } });
    expect(response.status).toBe(201);
    const query = encodeURIComponent(JSON.stringify({ filter: { name: 'Grace' } }));
    const page = (await (await owner.request('GET', `${base}?query=${query}`)).json()) as DataPage;
    expect(page.items.map((document) => document.name)).toEqual(['Grace']);
  });
});
