import { describe, expect, it } from 'vitest';
import { leadEnricherDocument } from './agents-example.test-support';
import { canonicalJson, cronProblem, rateMilliseconds, validateAgentsDocument } from './agents-policy';

type Doc = ReturnType<typeof leadEnricherDocument>;
const tool = (doc: Doc) => doc.tools[0]!;
const agent = (doc: Doc) => doc.agents[0]!;
const editedErrors = (edit: (doc: Doc) => void) => {
  const doc = leadEnricherDocument();
  edit(doc);
  const result = validateAgentsDocument(doc);
  expect(result.valid).toBe(false);
  return result.errors;
};

describe('agents.json validation', () => {
  it('accepts the documented example as it is', () => {
    const result = validateAgentsDocument(leadEnricherDocument());
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('refuses an http: tool URL', () => {
    expect(editedErrors((doc) => (tool(doc).url = 'http://api.example-crm.com/v1/companies'))).toEqual([
      { path: 'tools[0].url', message: 'must use https: (http: is refused)' },
    ]);
  });

  it('refuses a URL on another domain, including look-alike suffixes', () => {
    expect(editedErrors((doc) => (tool(doc).url = 'https://evil.example/v1'))[0]).toEqual({
      path: 'tools[0].url',
      message: 'host evil.example is outside the declared domain api.example-crm.com',
    });
    expect(editedErrors((doc) => (tool(doc).url = 'https://api.example-crm.com.evil.example/x'))[0]?.message).toMatch(
      /outside the declared domain/,
    );
    expect(editedErrors((doc) => (tool(doc).url = 'https://xapi.example-crm.com/x'))[0]?.message).toMatch(/outside the declared domain/);
  });

  it('accepts a subdomain of the declared domain', () => {
    const doc = leadEnricherDocument();
    tool(doc).url = 'https://eu.api.example-crm.com/v1/companies';
    expect(validateAgentsDocument(doc).valid).toBe(true);
  });

  it('refuses a header holding a literal token instead of the placeholder', () => {
    expect(editedErrors((doc) => (tool(doc).headers = { authorization: 'Bearer abc123token' }))).toContainEqual({
      path: 'tools[0].headers.authorization',
      message: 'holds a literal credential: store it as a secret and use {{secrets.NAME}}',
    });
    expect(editedErrors((doc) => (tool(doc).headers = { 'x-api-key': 'k3y-literal {{secrets.CRM_TOKEN}}' }))[0]?.path).toBe(
      'tools[0].headers.x-api-key',
    );
  });

  it('refuses secret-shaped literals anywhere in a template', () => {
    const errors = editedErrors((doc) => (tool(doc).query = { name: '{{input.company}}', key: 'sk-abcdefghijklmnopqrstuvwx' }));
    expect(errors).toContainEqual({
      path: 'tools[0].query.key',
      message: expect.stringMatching(/looks like a secret in plain text/) as string,
    });
  });

  it('refuses placeholders in the host, and says when it would leak a secret', () => {
    expect(editedErrors((doc) => (tool(doc).url = 'https://{{secrets.CRM_TOKEN}}.api.example-crm.com/x'))[0]?.message).toBe(
      "a {{secrets.…}} placeholder would put a secret into the URL's host",
    );
    expect(editedErrors((doc) => (tool(doc).url = 'https://{{input.company}}.api.example-crm.com/x'))[0]?.message).toBe(
      "placeholders are not allowed in the URL's host",
    );
    expect(editedErrors((doc) => (tool(doc).url = 'https://user:{{secrets.CRM_TOKEN}}@api.example-crm.com/x'))[0]?.message).toMatch(
      /placeholder would put a secret|credentials/,
    );
  });

  it('refuses reserved tool names, unknown placeholders and undeclared inputs', () => {
    expect(
      editedErrors((doc) => {
        tool(doc).name = 'update_app_data';
        agent(doc).tools = ['update_app_data'];
      }),
    ).toContainEqual({ path: 'tools[0].name', message: '"update_app_data" is a reserved tool name' });
    expect(editedErrors((doc) => (tool(doc).query = { name: '{{env.HOME}}' }))[0]?.message).toMatch(/is not a placeholder/);
    expect(editedErrors((doc) => (tool(doc).query = { name: '{{input.missing}}' }))[0]?.message).toMatch(
      /not a property of the tool's inputSchema/,
    );
  });

  it('refuses unknown keys, undeclared tools, bad schedules and time zones, with paths', () => {
    const doc = leadEnricherDocument() as Doc & { extra?: boolean };
    doc.extra = true;
    expect(validateAgentsDocument(doc).errors[0]?.path).toBe('(document)');
    expect(editedErrors((doc) => (agent(doc).tools = ['nope']))).toEqual([
      { path: 'agents[0].tools[0]', message: '"nope" is not declared in tools' },
    ]);
    expect(editedErrors((doc) => (agent(doc).triggers = [{ type: 'schedule', cron: '61 9 * * *', timezone: 'Europe/London' }]))).toEqual([
      { path: 'agents[0].triggers[0].cron', message: 'cron field 1 must be within 0–59' },
    ]);
    expect(
      editedErrors((doc) => (agent(doc).triggers = [{ type: 'schedule', cron: '0 9 * * *', timezone: 'Mars/Olympus' }]))[0]?.path,
    ).toBe('agents[0].triggers[0].timezone');
  });
});

describe('the rule of two', () => {
  it('classes the example agent as holding all three, so its writes need approval', () => {
    const capabilities = validateAgentsDocument(leadEnricherDocument()).capabilities.enricher;
    expect(capabilities).toMatchObject({
      readsUntrustedContent: true,
      touchesPrivateData: true,
      changesStateOrTalksOutside: true,
      requiresCallApproval: true,
      approvalRequiredFor: ['update_app_data'],
    });
  });

  it('an agent that only reads data and calls GET tools needs no approval', () => {
    const doc = leadEnricherDocument();
    agent(doc).dataCollections = { read: ['leads'], write: [] };
    const capabilities = validateAgentsDocument(doc).capabilities.enricher;
    expect(capabilities).toMatchObject({
      readsUntrustedContent: true,
      touchesPrivateData: true,
      changesStateOrTalksOutside: false,
      requiresCallApproval: false,
    });
  });

  it('a POST tool changes state; with data access and HTTP input it needs approval per call', () => {
    const doc = leadEnricherDocument();
    tool(doc).method = 'POST';
    agent(doc).dataCollections = { read: ['leads'], write: [] };
    expect(validateAgentsDocument(doc).capabilities.enricher?.approvalRequiredFor).toEqual(['lookup_company']);
  });

  it('an agent without HTTP tools reads no untrusted content', () => {
    const doc = leadEnricherDocument();
    agent(doc).tools = [];
    expect(validateAgentsDocument(doc).capabilities.enricher).toMatchObject({ readsUntrustedContent: false, requiresCallApproval: false });
  });
});

describe('schedules and canonical form', () => {
  it('parses rates and checks cron fields', () => {
    expect(rateMilliseconds('rate(5 minutes)')).toBe(300_000);
    expect(rateMilliseconds('rate(1 hour)')).toBe(3_600_000);
    expect(rateMilliseconds('rate(1 hours)')).toBeNull();
    expect(rateMilliseconds('rate(0 days)')).toBeNull();
    expect(cronProblem('*/15 9-17 * * 1-5')).toBeNull();
    expect(cronProblem('0 9 * *')).toMatch(/five fields/);
    expect(cronProblem('0 17-9 * * *')).toMatch(/backwards/);
  });

  it('sorts keys at every level, so key order never changes the hash input', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
