import { describe, expect, it } from 'vitest';
import { otherValues, type FieldDefinition } from './src/lib/record-fields';

const fields: readonly FieldDefinition[] = [
  { key: 'name', label: 'Name', kind: 'text', required: true },
  { key: 'company', label: 'Company', kind: 'text', required: false },
];

describe("the app kit shows what others wrote to a record (an app agent's results)", () => {
  it('lists the values beyond the declared fields, in words, and nothing of its own', () => {
    const record = {
      _id: 'lead-1',
      _createdAt: '2026-12-01T00:00:00.000Z',
      createdAt: 1796169145340,
      name: 'Ada',
      company: 'Acme',
      lookup_company: { company: 'Acme', employees: 160, industry: 'Acme industries' },
      tags: ['a', 'b'],
      emptyNote: '',
      scoreValue: 7,
    };
    expect(otherValues(record, fields)).toEqual([
      { key: 'lookup_company', label: 'Lookup company', text: 'company: Acme, employees: 160, industry: Acme industries' },
      { key: 'tags', label: 'Tags', text: 'a, b' },
      { key: 'scoreValue', label: 'Score value', text: '7' },
    ]);
  });

  it('has nothing to show for a record with only its fields', () => {
    expect(otherValues({ _id: 'lead-2', createdAt: 1, name: 'Grace' }, fields)).toEqual([]);
  });
});
