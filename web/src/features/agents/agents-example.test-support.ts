/** The documented agents.json, as a person would write it in the console. */
export const exampleAgentsDocument = () => ({
  version: 1,
  agents: [
    {
      id: 'enricher',
      name: 'Lead enricher',
      description: "Looks up each new lead's company",
      instructions: "Call lookup_company with the lead's company and write what it returns to the lead.",
      tools: ['lookup_company'],
      dataCollections: { read: ['leads'], write: ['leads'] },
      triggers: [{ type: 'manual' }, { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/London' }],
    },
  ],
  tools: [
    {
      name: 'lookup_company',
      description: 'Company facts by name',
      method: 'GET',
      url: 'https://api.example-crm.com/v1/companies',
      domain: 'api.example-crm.com',
      query: { name: '{{input.company}}' },
      headers: { authorization: 'Bearer {{secrets.CRM_TOKEN}}' } as Record<string, string>,
      inputSchema: { type: 'object', properties: { company: { type: 'string' } }, required: ['company'] },
      mock: { name: 'Acme', employees: 120 },
    },
  ],
});
