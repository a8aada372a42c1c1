/**
 * Test support, shared by the protocol, control-plane and console tests (not exported by the package).
 * The example `agents.json` from the app-agents issue: it must validate as it is.
 */
export const leadEnricherDocument = (
  overrides: {
    triggers?: ({ type: 'manual' } | { type: 'schedule'; cron: string; timezone: string })[];
    /** Where lookup_company calls (a test's own integration server), and its allowed domain. */
    tool?: { url: string; domain: string; mock: Record<string, unknown> };
  } = {},
) => ({
  version: 1,
  agents: [
    {
      id: 'enricher',
      name: 'Lead enricher',
      description: "Looks up each new lead's company",
      instructions: "Call lookup_company with the lead's company and write what it returns to the lead.",
      tools: ['lookup_company'],
      dataCollections: { read: ['leads'], write: ['leads'] },
      triggers: overrides.triggers ?? [{ type: 'manual' }, { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/London' }],
    },
  ],
  tools: [
    {
      name: 'lookup_company',
      description: 'Company facts by name',
      method: 'GET',
      url: overrides.tool?.url ?? 'https://api.example-crm.com/v1/companies',
      domain: overrides.tool?.domain ?? 'api.example-crm.com',
      query: { name: '{{input.company}}' } as Record<string, string>,
      headers: { authorization: 'Bearer {{secrets.CRM_TOKEN}}' } as Record<string, string>,
      inputSchema: { type: 'object', properties: { company: { type: 'string' } }, required: ['company'] },
      mock: overrides.tool?.mock ?? { name: 'Acme', employees: 120 },
    },
  ],
});
