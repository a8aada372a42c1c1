import type { AppSpec } from '../app-spec';

/**
 * The spec behind `app-kit/src/sample-record-fields.ts`: one field of every kind, so type-checking
 * and linting the kit exercises every branch the generated apps can take.
 */
export const sampleSpec: AppSpec = {
  appName: 'Sample Tracker',
  entity: { singular: 'sample record', plural: 'sample records', collection: 'sampleRecords' },
  fields: [
    { key: 'name', label: 'Name', kind: 'text', required: true },
    { key: 'email', label: 'Email', kind: 'email', required: false },
    { key: 'website', label: 'Website', kind: 'url', required: false },
    { key: 'phone', label: 'Phone', kind: 'phone', required: false },
    { key: 'quantity', label: 'Quantity', kind: 'number', required: false },
    { key: 'budget', label: 'Budget', kind: 'money', required: false },
    { key: 'dueDate', label: 'Due date', kind: 'date', required: false },
    { key: 'active', label: 'Active', kind: 'boolean', required: false },
    { key: 'status', label: 'Status', kind: 'status', required: true, options: ['New', 'Open', 'Done'] },
    { key: 'notes', label: 'Notes', kind: 'longtext', required: false },
  ],
  assumptions: [],
};
