import type { AppSpec, FieldSpec } from './app-spec';
import type { FollowUp } from './prompt-reader';

/** What the offline generator can do, with examples; the answer to anything it does not understand. */
export const capabilities = `I'm Hangar's offline generator: I work without a model or network, so I understand a few kinds of requests.
- A new app described as records with fields, e.g. "a tracker for customer leads with name, email, company, status and next call date", "an app to manage projects: name, owner, budget, deadline" or "inventory of products with name, sku, quantity and price".
- Adding a field: "add a field priority", "add a due date field", "add field 'renewal date' (date)", "add a status field with options open, won, lost".
- Removing a field: "remove the company field".
- Renaming the app: "rename the app to Lead Desk" or "call it Lead Desk".
For anything else, set an Anthropic API key (or another model provider) and ask again.`;

const kindNames: Readonly<Record<FieldSpec['kind'], string>> = {
  text: 'text',
  email: 'email',
  url: 'link',
  phone: 'phone',
  number: 'number',
  money: 'amount',
  date: 'date',
  boolean: 'yes/no',
  status: 'choice',
  longtext: 'long text',
};

/** `Status (choice: New, Won, Lost; required)`. */
export function describeField(field: FieldSpec): string {
  const details = [field.kind === 'status' && field.options ? `${kindNames.status}: ${field.options.join(', ')}` : kindNames[field.kind]];
  if (field.required) details.push('required');
  return `${field.label} (${details.join('; ')})`;
}

/** The plan card's steps for a new app. */
export function planSteps(spec: AppSpec): string[] {
  const { singular, plural, collection } = spec.entity;
  const statusFields = spec.fields.filter((field) => field.kind === 'status').map((field) => field.label.toLowerCase());
  return [
    `Store ${plural} in the "${collection}" collection, one record per ${singular}.`,
    `Fields: ${spec.fields.map(describeField).join(', ')}.`,
    `A table of all ${plural} with formatted values${statusFields.length ? ' and coloured badges' : ''}, newest first.`,
    `Search across every field${statusFields.length ? ` and filter by ${statusFields.join(' and ')}` : ''}.`,
    `A "New ${singular}" form with the right input for each field, required-field and format checks; edit reuses it.`,
    `Delete with a confirmation, toasts after every change, and friendly empty states.`,
    `Name the app "${spec.appName}" and check that it typechecks and builds.`,
  ];
}

/** The text before the plan card. */
export function planIntro(spec: AppSpec): string {
  const assumptions = spec.assumptions.length ? ` ${spec.assumptions.join(' ')}` : '';
  return `Here's my plan for **${spec.appName}**: a place to keep track of ${spec.entity.plural}.${assumptions} Accept it, or amend it with a note such as "add a field priority".`;
}

/** The answer after a passing build of a new app. */
export function builtSummary(spec: AppSpec, fieldsPath: string): string {
  const { singular, plural, collection } = spec.entity;
  const statusField = spec.fields.find((field) => field.kind === 'status');
  const lines = [
    `**${spec.appName}** is ready. It keeps ${plural} in the "${collection}" collection, with these fields: ${spec.fields.map(describeField).join(', ')}.`,
    '',
    'How to use it:',
    `- Press **New ${singular}** to add one; the form checks required fields and formats before saving.`,
    `- Search finds ${plural} by any field${statusField ? `; the ${statusField.label.toLowerCase()} menu filters the list` : ''}.`,
    `- The pencil on a row edits it; the bin deletes it after asking.`,
    '',
    `To change it, ask me to "add a field priority", "remove the ${spec.fields.at(-1)?.label.toLowerCase() ?? 'notes'} field" or "rename the app to …". The fields live in one small file (${fieldsPath}), so each change is a one-line edit.`,
  ];
  if (spec.assumptions.length) lines.push('', `Note: ${spec.assumptions.join(' ')}`);
  return lines.join('\n');
}

/** The answer after a passing build of a follow-up change. */
export function changedSummary(followUp: Exclude<FollowUp, { kind: 'unknown' }>, removedLabel?: string): string {
  switch (followUp.kind) {
    case 'add_field':
      return `Done: every record now has a **${describeField(followUp.field)}** field. It appears in the form and the table${followUp.field.kind === 'status' ? ', and as a filter' : ''}; existing records show it empty until edited.`;
    case 'remove_field':
      return `Done: the **${removedLabel ?? followUp.label}** field is gone from the form, the table and search. Values already stored stay in the data, so adding the field back brings them back.`;
    case 'rename_app':
      return `Done: the app is now called **${followUp.name}**, in the header and in Hangar.`;
    default: {
      const unexpected: never = followUp;
      return String(unexpected);
    }
  }
}

/** The answer when the build gate fails, which generated code should never cause. */
export function buildFailed(errors: string): string {
  const excerpt = errors.length > 1500 ? `${errors.slice(0, 1500)}…` : errors;
  return `The build reported errors, which the offline generator's code should never cause, so I stopped instead of guessing at a fix:\n\n${excerpt}\n\nRetry the run, or set a model provider (for example an Anthropic API key) so a model can fix it.`;
}
