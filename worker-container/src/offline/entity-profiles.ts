/** What the offline generator knows about common kinds of records: default fields and synonyms. */

interface EntityProfile {
  /** Field phrases used when the prompt names none. */
  fields: readonly string[];
}

const titled = (rest: readonly string[]): EntityProfile => ({ fields: ['title', ...rest] });
const named = (rest: readonly string[]): EntityProfile => ({ fields: ['name', ...rest] });

const profiles: Readonly<Record<string, EntityProfile>> = {
  lead: named(['email', 'company', 'status', 'next call date']),
  deal: named(['company', 'value', 'stage', 'close date']),
  opportunity: named(['company', 'value', 'stage', 'close date']),
  task: titled(['status', 'priority', 'due date', 'notes']),
  chore: titled(['status', 'due date']),
  project: named(['owner', 'status', 'deadline', 'budget']),
  bug: titled(['description', 'priority', 'status']),
  issue: titled(['description', 'priority', 'status']),
  ticket: titled(['description', 'priority', 'status']),
  request: titled(['requester email', 'description', 'priority', 'status']),
  product: named(['sku', 'quantity', 'price']),
  item: named(['quantity', 'notes']),
  asset: named(['serial number', 'owner', 'status', 'purchase date', 'cost']),
  contact: named(['email', 'phone', 'company', 'notes']),
  person: named(['email', 'phone', 'company', 'notes']),
  customer: named(['email', 'phone', 'company', 'status', 'notes']),
  client: named(['email', 'phone', 'company', 'status', 'notes']),
  vendor: named(['contact email', 'phone', 'website', 'notes']),
  supplier: named(['contact email', 'phone', 'website', 'notes']),
  employee: named(['email', 'role', 'team', 'start date']),
  member: named(['email', 'role', 'joined on']),
  candidate: named(['email', 'role', 'stage', 'interview date']),
  applicant: named(['email', 'role', 'stage', 'interview date']),
  expense: titled(['amount', 'date', 'category', 'status']),
  invoice: titled(['client', 'amount', 'due date', 'status']),
  order: titled(['customer', 'total', 'order date', 'status']),
  book: titled(['author', 'status', 'rating']),
  event: titled(['date', 'location', 'status', 'notes']),
  meeting: titled(['date', 'attendees', 'status', 'notes']),
  idea: titled(['description', 'status', 'votes']),
  recipe: named(['servings', 'prep minutes', 'ingredients', 'instructions']),
  note: titled(['body']),
  article: titled(['author', 'status', 'publish date', 'url']),
  company: named(['website', 'industry', 'employees', 'notes']),
  account: named(['website', 'owner', 'annual revenue', 'status']),
};

/** Entity words people use for the same thing. */
const synonyms: Readonly<Record<string, string>> = {
  todo: 'task',
  'to do': 'task',
  todos: 'task',
  people: 'person',
  prospect: 'lead',
  stock: 'product',
  inventory: 'product',
  crm: 'contact',
  pipeline: 'deal',
  hire: 'candidate',
  hiring: 'candidate',
  recruiting: 'candidate',
  staff: 'employee',
  team: 'member',
  spending: 'expense',
  reading: 'book',
  bug: 'bug',
  helpdesk: 'ticket',
  support: 'ticket',
};

/** The canonical entity word for a phrase's last word (`to do` → `task`), or the phrase itself. */
export function canonicalEntity(phrase: string): string {
  return synonyms[phrase] ?? phrase;
}

/** Default field phrases for an entity's head noun; a name and notes when it is not known. */
export function defaultFieldPhrases(head: string): readonly string[] {
  return profiles[head]?.fields ?? ['name', 'notes'];
}

/** Whether the generator knows this kind of record. */
export function isKnownEntity(head: string): boolean {
  return head in profiles;
}

/** The title field phrase for an entity: `title` for things people write, else `name`. */
export function titlePhraseFor(head: string): string {
  return profiles[head]?.fields[0] === 'title' ? 'title' : 'name';
}
