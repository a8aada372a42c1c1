import { describe, expect, it } from 'vitest';
import { exampleAgentsDocument } from './agents-example.test-support';
import { parseJsonOrUndefined, requiredSecrets } from './required-secrets';

describe('requiredSecrets', () => {
  it('finds the secret names of the documented example', () => {
    expect(requiredSecrets(exampleAgentsDocument())).toEqual([{ name: 'CRM_TOKEN', tools: ['lookup_company'] }]);
  });

  it('collects from url, query, headers and nested body strings, sorted, each with the tools that use it', () => {
    const document = {
      tools: [
        {
          name: 'send',
          url: 'https://api.mail.com/v1/{{ secrets.ACCOUNT_ID }}/send',
          headers: { 'x-api-key': '{{secrets.MAIL_KEY}}' },
          body: { auth: ['{{secrets.CRM_TOKEN}}', 3], note: 'to {{input.to}}' },
        },
        { name: 'lookup', query: { key: '{{secrets.CRM_TOKEN}}' } },
      ],
    };
    expect(requiredSecrets(document)).toEqual([
      { name: 'ACCOUNT_ID', tools: ['send'] },
      { name: 'CRM_TOKEN', tools: ['lookup', 'send'] },
      { name: 'MAIL_KEY', tools: ['send'] },
    ]);
  });

  it('ignores placeholders outside request templates, malformed names and input placeholders', () => {
    const document = {
      tools: [
        {
          name: 'a',
          description: 'uses {{secrets.IN_DESCRIPTION}}',
          mock: { token: '{{secrets.IN_MOCK}}' },
          headers: { authorization: '{{secrets.lower}} {{input.x}} {{secrets.}}' },
        },
      ],
    };
    expect(requiredSecrets(document)).toEqual([]);
  });

  it('works on documents that do not validate, and on things that are not documents', () => {
    expect(requiredSecrets({ tools: [null, 'x', { headers: { a: '{{secrets.NO_NAME_TOOL}}' } }] })).toEqual([
      { name: 'NO_NAME_TOOL', tools: ['tools[2]'] },
    ]);
    expect(requiredSecrets(undefined)).toEqual([]);
    expect(requiredSecrets({ tools: 'nope' })).toEqual([]);
    expect(requiredSecrets(parseJsonOrUndefined('{ not json'))).toEqual([]);
  });
});
