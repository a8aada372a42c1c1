import type { AppSpec, FieldSpec } from './app-spec';
import type { FollowUp } from './prompt-reader';

/** What the offline generator can do, with examples; the answer to anything it does not understand. */
export const capabilities = `I'm Hangar's offline generator: I work without a model or network, so I understand a few kinds of requests.
- A new app described as records with fields, e.g. "a tracker for customer leads with name, email, company, status and next call date", "an app to manage projects: name, owner, budget, deadline" or "inventory of products with name, sku, quantity and price".
- Adding a field: "add a field priority", "add a due date field", "add field 'renewal date' (date)", "add a status field with options open, won, lost".
- Removing a field: "remove the company field".
- Renaming the app: "rename the app to Lead Desk" or "call it Lead Desk".
- An app agent in a new app: "a leads tracker with an agent that looks up each lead's company via https://api.example-crm.com".
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
    ...agentSteps(spec),
    `Name the app "${spec.appName}" and check that it typechecks and builds.`,
  ];
}

/** The plan steps of the app's agent, if the prompt asked for one. */
function agentSteps(spec: AppSpec): string[] {
  const agent = spec.agent;
  if (!agent) return [];
  const tool = agent.tool;
  return [
    `An agent "${agent.name}" in agents.json that ${agent.description.charAt(0).toLowerCase()}${agent.description.slice(1)}.${tool ? ` Its tool ${tool.name} calls GET ${tool.url} with the ${spec.entity.singular}'s ${tool.inputKey}${tool.secretName ? `, sending {{secrets.${tool.secretName}}} as its key` : ''}.` : ''}`,
    `An Agents panel: pick a ${spec.entity.singular}, press Run, and watch its status and result live.`,
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
    ...(spec.agent
      ? [
          `- The **Agents** panel runs ${spec.agent.name} on the ${spec.entity.singular} you pick and shows its status and result as it goes. An admin approves agents.json in Hangar first; until then its tool answers mock data.`,
        ]
      : []),
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

/** The kinds of app the offline generator builds, for the plan card of a request it cannot build. */
const buildableExamples = [
  'A tracker of records with fields, e.g. "a tracker for customer leads with name, email, company, status and next call date".',
  'An inventory, directory or log, e.g. "inventory of products with name, sku, quantity and price".',
  'A list to manage work, e.g. "an app to manage projects: name, owner, budget, deadline and status".',
  'Set an Anthropic API key (or another model provider) and ask again: the full agent builds games, boards and anything else.',
];

/** The text before the plan card of a request the offline generator cannot build. */
export function outOfScopeIntro(what: string): string {
  return `I'm sorry: I'm Hangar's offline generator, and ${what} is beyond what I can build without a model. I have not built anything. The plan card says what I can build.`;
}

/** The plan card of a request the offline generator cannot build: what it can build instead, and how to get the full agent. */
export function outOfScopePlan(what: string): { title: string; summary: string; steps: string[] } {
  return {
    title: `The offline generator cannot build ${what}`,
    summary: `Without a model key I only build data apps: records with fields, in a searchable table with a form, saved live for everyone. I'd rather say so than build something that isn't what you asked for. Nothing has been built. Amend this plan with a data app to build instead, or accept to stop here. With an Anthropic API key (ANTHROPIC_API_KEY) or another model provider, the full agent can build ${what}.`,
    steps: buildableExamples,
  };
}

/** The answer when an out-of-scope request is accepted as is. */
export function nothingBuilt(what: string): string {
  return `Nothing was built: ${what} needs the full agent. Set an Anthropic API key (ANTHROPIC_API_KEY) or another model provider and send the request again, or describe a data app (records with fields) and I'll build it offline.`;
}

/** Why a plan note was not applied, in the words shown on the plan card. */
export function noteNotApplied(note: string): string {
  const shown = note.length > 120 ? `${note.slice(0, 120)}…` : note;
  return `I couldn't apply your note (“${shown}”): offline I understand notes like “add a field priority”, “remove the company field” or “rename the app to Lead Desk”. Accept this plan as it is, or amend it again.`;
}
