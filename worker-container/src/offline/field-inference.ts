import type { FieldKind, FieldSpec } from './app-spec';
import { fieldKinds } from './app-spec';
import { camelCase, sentenceCase, wordsOf } from './words';

/** Keys the generated app uses itself; a field with one of these keys gets another key. */
const reservedKeys = new Set(['_id', 'id', 'createdAt', 'updatedAt', 'constructor', 'prototype', '__proto__']);

/** Keys that make a field the record's title. */
export const titleKeys = new Set(['name', 'title', 'subject', 'fullName', 'label', 'headline', 'companyName', 'productName']);

const statusOptionsByEntity: Readonly<Record<string, readonly string[]>> = {
  lead: ['New', 'Contacted', 'Qualified', 'Won', 'Lost'],
  deal: ['Lead', 'Qualified', 'Proposal', 'Won', 'Lost'],
  opportunity: ['Lead', 'Qualified', 'Proposal', 'Won', 'Lost'],
  task: ['Todo', 'In progress', 'Done'],
  todo: ['Todo', 'In progress', 'Done'],
  chore: ['Todo', 'In progress', 'Done'],
  project: ['Planned', 'Active', 'On hold', 'Done'],
  bug: ['Open', 'In progress', 'Resolved', 'Closed'],
  issue: ['Open', 'In progress', 'Resolved', 'Closed'],
  ticket: ['Open', 'In progress', 'Resolved', 'Closed'],
  request: ['Open', 'In progress', 'Resolved', 'Closed'],
  candidate: ['Applied', 'Screening', 'Interview', 'Offer', 'Hired', 'Rejected'],
  applicant: ['Applied', 'Screening', 'Interview', 'Offer', 'Hired', 'Rejected'],
  order: ['Pending', 'Paid', 'Shipped', 'Delivered', 'Cancelled'],
  invoice: ['Draft', 'Sent', 'Paid', 'Overdue'],
  book: ['To read', 'Reading', 'Read'],
  expense: ['Submitted', 'Approved', 'Reimbursed', 'Rejected'],
  product: ['Active', 'Low stock', 'Discontinued'],
  item: ['Active', 'Archived'],
  contact: ['Active', 'Inactive'],
  customer: ['Active', 'Churned'],
  client: ['Active', 'Churned'],
  event: ['Planned', 'Confirmed', 'Done', 'Cancelled'],
  meeting: ['Planned', 'Done', 'Cancelled'],
  asset: ['In use', 'In storage', 'Retired'],
  idea: ['New', 'Under review', 'Planned', 'Done', 'Rejected'],
};

const optionsByFieldWord: Readonly<Record<string, readonly string[]>> = {
  priority: ['Low', 'Medium', 'High'],
  severity: ['Low', 'Medium', 'High', 'Critical'],
  urgency: ['Low', 'Medium', 'High'],
  size: ['S', 'M', 'L', 'XL'],
  impact: ['Low', 'Medium', 'High'],
};

const kindKeywords: readonly { kind: FieldKind; words: readonly string[] }[] = [
  { kind: 'email', words: ['email', 'mail'] },
  { kind: 'phone', words: ['phone', 'mobile', 'telephone', 'tel', 'cell', 'fax', 'whatsapp'] },
  { kind: 'url', words: ['website', 'url', 'link', 'homepage', 'site', 'linkedin', 'repo', 'repository'] },
  { kind: 'date', words: ['date', 'deadline', 'due', 'birthday', 'dob', 'expiry', 'expires', 'expiration', 'anniversary'] },
  {
    kind: 'money',
    words: [
      'price',
      'amount',
      'budget',
      'cost',
      'salary',
      'revenue',
      'fee',
      'total',
      'balance',
      'payment',
      'spend',
      'income',
      'value',
      'wage',
      'mrr',
      'arr',
      'rent',
    ],
  },
  {
    kind: 'number',
    words: [
      'count',
      'quantity',
      'qty',
      'age',
      'score',
      'rating',
      'stock',
      'units',
      'hours',
      'weight',
      'height',
      'level',
      'rank',
      'year',
      'seats',
      'points',
      'percent',
      'percentage',
      'progress',
      'duration',
      'minutes',
      'days',
      'headcount',
      'employees',
      'capacity',
      'estimate',
    ],
  },
  {
    kind: 'boolean',
    words: [
      'done',
      'completed',
      'complete',
      'active',
      'paid',
      'archived',
      'enabled',
      'vip',
      'subscribed',
      'approved',
      'confirmed',
      'published',
      'available',
      'verified',
      'billable',
      'urgent',
      'favorite',
      'favourite',
      'flagged',
      'resolved',
      'shipped',
      'signed',
      'invoiced',
      'remote',
    ],
  },
  {
    kind: 'longtext',
    words: [
      'notes',
      'note',
      'description',
      'details',
      'comments',
      'comment',
      'bio',
      'body',
      'content',
      'feedback',
      'remarks',
      'summary',
      'address',
    ],
  },
];

const statusWords = new Set(['status', 'stage', 'priority', 'severity', 'state', 'phase', 'urgency', 'impact', 'pipeline']);

const kindAliases: Readonly<Record<string, FieldKind>> = {
  string: 'text',
  text: 'text',
  'short text': 'text',
  'long text': 'longtext',
  longtext: 'longtext',
  paragraph: 'longtext',
  textarea: 'longtext',
  multiline: 'longtext',
  mail: 'email',
  'e mail': 'email',
  link: 'url',
  website: 'url',
  telephone: 'phone',
  integer: 'number',
  int: 'number',
  decimal: 'number',
  numeric: 'number',
  currency: 'money',
  price: 'money',
  amount: 'money',
  day: 'date',
  checkbox: 'boolean',
  bool: 'boolean',
  'yes no': 'boolean',
  toggle: 'boolean',
  flag: 'boolean',
  select: 'status',
  choice: 'status',
  dropdown: 'status',
  enum: 'status',
};

/** A field kind named by the person (`date`, `long text`, `checkbox`…), or undefined. */
export function kindFromName(name: string): FieldKind | undefined {
  const normalized = wordsOf(name).join(' ');
  const known = fieldKinds.find((kind) => kind === normalized);
  return known ?? kindAliases[normalized];
}

/** The kind a field's name suggests: `next call date` → date, `budget` → money. */
export function inferKind(label: string): FieldKind {
  const words = wordsOf(label);
  const last = words.at(-1) ?? '';
  if (words.some((word) => statusWords.has(word)) && !words.includes('date')) return 'status';
  if (words[0] === 'is' || words[0] === 'has') return 'boolean';
  if (words.includes('number') && words.includes('of')) return 'number';
  // "Start day", "published on": a trailing day/on names a date even without the word "date".
  if (last === 'day' || last === 'on') return 'date';
  for (const { kind, words: keywords } of kindKeywords) {
    if (words.some((word) => keywords.includes(word))) return kind;
  }
  return 'text';
}

/** The choices of a status-like field, from its name and the app's entity. */
export function statusOptionsFor(label: string, entitySingular: string): string[] {
  const words = wordsOf(label);
  for (const word of words) {
    const options = optionsByFieldWord[word];
    if (options) return [...options];
  }
  const head = wordsOf(entitySingular).at(-1) ?? '';
  return [...(statusOptionsByEntity[head] ?? ['New', 'In progress', 'Done'])];
}

export interface FieldHints {
  kind?: FieldKind;
  options?: string[];
  required?: boolean;
}

/** A field from its name as the person wrote it (`next call date`), with optional explicit hints. */
export function fieldFromPhrase(phrase: string, entitySingular: string, hints: FieldHints = {}): FieldSpec | null {
  const words = wordsOf(phrase);
  if (words.length === 0) return null;
  const label = sentenceCase(phrase);
  let key = camelCase(phrase);
  if (reservedKeys.has(key)) key = `${key}Value`;
  const kind = hints.options && hints.options.length > 0 ? 'status' : (hints.kind ?? inferKind(phrase));
  const field: FieldSpec = { key, label, kind, required: hints.required ?? (titleKeys.has(key) || kind === 'status') };
  if (kind === 'status')
    field.options = hints.options && hints.options.length > 0 ? hints.options : statusOptionsFor(phrase, entitySingular);
  return field;
}
