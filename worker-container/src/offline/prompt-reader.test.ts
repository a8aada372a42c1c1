import { describe, expect, it } from 'vitest';
import { readFollowUp, readPrompt } from './prompt-reader';

/** `key:kind`, with `*` for required and `[A/B]` for options: compact enough for a table. */
function shape(prompt: string): { appName: string; entity: string; fields: string } {
  const spec = readPrompt(prompt);
  return {
    appName: spec.appName,
    entity: `${spec.entity.singular}/${spec.entity.plural}/${spec.entity.collection}`,
    fields: spec.fields
      .map((field) => `${field.key}:${field.kind}${field.required ? '*' : ''}${field.options ? `[${field.options.join('/')}]` : ''}`)
      .join(' '),
  };
}

describe('readPrompt', () => {
  it.each([
    [
      'a tracker for customer leads with name, email, company, status and next call date',
      'Lead Tracker',
      'lead/leads/leads',
      'name:text* email:email company:text status:status*[New/Contacted/Qualified/Won/Lost] nextCallDate:date',
    ],
    [
      'An app to manage projects: name, owner, budget, deadline and status',
      'Project Tracker',
      'project/projects/projects',
      'name:text* owner:text budget:money deadline:date status:status*[Planned/Active/On hold/Done]',
    ],
    ['contacts list with fields name, phone, email', 'Contact List', 'contact/contacts/contacts', 'name:text* phone:phone email:email'],
    [
      'inventory of products with name, sku, quantity and price',
      'Product Inventory',
      'product/products/products',
      'name:text* sku:text quantity:number price:money',
    ],
    [
      'a task tracker',
      'Task Tracker',
      'task/tasks/tasks',
      'title:text* status:status*[Todo/In progress/Done] priority:status*[Low/Medium/High] dueDate:date notes:longtext',
    ],
    [
      'a to-do list',
      'Task List',
      'task/tasks/tasks',
      'title:text* status:status*[Todo/In progress/Done] priority:status*[Low/Medium/High] dueDate:date notes:longtext',
    ],
    ['Build me something useful', 'Item Tracker', 'item/items/items', 'name:text* quantity:number notes:longtext'],
    ['I need a CRM', 'Contact CRM', 'contact/contacts/contacts', 'name:text* email:email phone:phone company:text notes:longtext'],
    [
      'a reading list of books with title, author, rating and finished (boolean)',
      'Book List',
      'book/books/books',
      'title:text* author:text rating:number finished:boolean',
    ],
    [
      'an expense tracker with amount, date, category (travel, food, office) and paid',
      'Expense Tracker',
      'expense/expenses/expenses',
      'title:text* amount:money date:date category:status*[Travel/Food/Office] paid:boolean',
    ],
    [
      'a bug tracker called Bug Nest with title, description, severity and reported on',
      'Bug Nest',
      'bug/bugs/bugs',
      'title:text* description:longtext severity:status*[Low/Medium/High/Critical] reportedOn:date',
    ],
    [
      "keep track of our team's vendors",
      'Vendor Tracker',
      'vendor/vendors/vendors',
      'name:text* contactEmail:email phone:phone website:url notes:longtext',
    ],
    [
      'a hiring pipeline with candidates: name, email, role, stage, interview date, salary expectation',
      'Candidate Tracker',
      'candidate/candidates/candidates',
      'name:text* email:email role:text stage:status*[Applied/Screening/Interview/Offer/Hired/Rejected] interviewDate:date salaryExpectation:money',
    ],
    [
      'app for tracking event RSVPs with guest name, email and attending (yes/no)',
      'Event RSVP Tracker',
      'event rsvp/event rsvps/eventRsvps',
      'guestName:text* email:email attending:boolean',
    ],
    [
      'a list of companies with website, employees and linkedin',
      'Company List',
      'company/companies/companies',
      'name:text* website:url employees:number linkedin:url',
    ],
  ])('%s', (prompt, appName, entity, fields) => {
    expect(shape(prompt)).toEqual({ appName, entity, fields });
  });

  it('says what it assumed for a vague prompt or a prompt without fields', () => {
    expect(readPrompt('make me an app').assumptions.join(' ')).toMatch(/general "items" tracker/);
    expect(readPrompt('a task tracker').assumptions.join(' ')).toMatch(/typical ones for tasks/);
    expect(readPrompt('a tracker for leads with name and email').assumptions).toEqual([]);
  });

  it('always has a title field and makes safe identifiers', () => {
    const spec = readPrompt('a tracker for shipments with 2nd address, id, created at and weight');
    expect(spec.fields.map((field) => field.key)).toEqual(['name', 'field2ndAddress', 'idValue', 'createdAtValue', 'weight']);
    expect(spec.fields[0]).toMatchObject({ key: 'name', required: true });
  });
});

describe('readFollowUp', () => {
  it.each([
    [
      'add a field priority',
      {
        kind: 'add_field',
        field: { key: 'priority', label: 'Priority', kind: 'status', required: true, options: ['Low', 'Medium', 'High'] },
      },
    ],
    ['Add a priority field.', { kind: 'add_field', field: { key: 'priority', kind: 'status' } }],
    ["add field 'due date' (date)", { kind: 'add_field', field: { key: 'dueDate', label: 'Due date', kind: 'date', required: false } }],
    ['please add a budget column', { kind: 'add_field', field: { key: 'budget', kind: 'money' } }],
    ['add a status field with options open, won, lost', { kind: 'add_field', field: { key: 'status', options: ['Open', 'Won', 'Lost'] } }],
    ['add renewal on as a date', { kind: 'add_field', field: { key: 'renewalOn', kind: 'date' } }],
    ['remove the company field', { kind: 'remove_field', key: 'company', label: 'company' }],
    ['delete the next call date column', { kind: 'remove_field', key: 'nextCallDate', label: 'next call date' }],
    ['rename the app to Lead Desk', { kind: 'rename_app', name: 'Lead Desk' }],
    ['call it deal desk', { kind: 'rename_app', name: 'Deal Desk' }],
    ['Change the name to "Sales Pipeline"', { kind: 'rename_app', name: 'Sales Pipeline' }],
    ['Follow-up: rename the app to Lead Desk', { kind: 'rename_app', name: 'Lead Desk' }],
    ['make it blue', { kind: 'unknown' }],
    ['add a chart of revenue by month over the last two years', { kind: 'unknown' }],
  ])('%s', (request, expected) => {
    expect(readFollowUp(request, 'lead')).toMatchObject(expected);
  });

  it('uses the entity for status options', () => {
    expect(readFollowUp('add a status field', 'task')).toMatchObject({ field: { options: ['Todo', 'In progress', 'Done'] } });
  });
});
