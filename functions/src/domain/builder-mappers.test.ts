import { describe, expect, it } from 'vitest';
import { nameFromPrompt } from './builder-mappers';

describe('provisional app names', () => {
  it.each([
    ['A tracker for customer leads with name, email and status', 'Tracker for customer leads'],
    ['Build me an inventory of products: name, sku', 'Inventory of products'],
    ['please create a vendor onboarding checklist that finance approves', 'Vendor onboarding checklist'],
    ['   ', 'Untitled app'],
  ])('%s → %s', (prompt, name) => {
    expect(nameFromPrompt(prompt)).toBe(name);
  });
});
