import { agentSpecFor, takeAgentRequest } from './agent-request';
import type { AppSpec, FieldSpec } from './app-spec';
import { canonicalEntity, defaultFieldPhrases, isKnownEntity, titlePhraseFor } from './entity-profiles';
import { fieldFromPhrase, kindFromName, titleKeys, type FieldHints } from './field-inference';
import { camelCase, pluralize, singularize, titleCase, wordsOf } from './words';

export type { AppSpec, EntitySpec, FieldKind, FieldSpec } from './app-spec';

/** More fields than this and the form stops being a form. */
export const maxFields = 12;

/** A change to an existing app that the offline generator can make. */
export type FollowUp =
  | { kind: 'add_field'; field: FieldSpec }
  | { kind: 'remove_field'; key: string; label: string }
  | { kind: 'rename_app'; name: string }
  | { kind: 'unknown' };

const containerNouns =
  'tracker|list|log|inventory|directory|catalog|catalogue|register|registry|board|crm|planner|journal|database|db|manager|app|application|tool|system|dashboard|portal|spreadsheet|table|hub|book';
const verbs =
  'manage|managing|track|tracking|keep track of|keeping track of|organi[sz]e|organi[sz]ing|log|logging|record|recording|store|storing|list|listing|collect|collecting|plan|planning|handle|handling|follow up on|follow|following|monitor|monitoring|catalog|catalogue|review|reviewing|run|running|hold|holding';
const determiners =
  /^(?:(?:all|of|our|my|your|their|the|a|an|some|team|company|company's|team's|internal|simple|small|basic|little|quick|new|shared|nice|tiny|good|lightweight)\s+)+/;
const vagueWords = new Set([
  'something',
  'stuff',
  'thing',
  'things',
  'anything',
  'useful',
  'cool',
  'app',
  'apps',
  'tool',
  'it',
  'this',
  'data',
  'everything',
  'me',
  'us',
  'website',
  'page',
]);
const appNameSuffixes: Readonly<Record<string, string>> = {
  tracker: 'Tracker',
  list: 'List',
  log: 'Log',
  inventory: 'Inventory',
  directory: 'Directory',
  catalog: 'Catalog',
  catalogue: 'Catalogue',
  register: 'Register',
  registry: 'Registry',
  board: 'Board',
  crm: 'CRM',
  planner: 'Planner',
  journal: 'Journal',
  database: 'Database',
  db: 'Database',
  hub: 'Hub',
  book: 'Book',
};

/** Reads a new-app prompt: `a tracker for customer leads with name, email, company, status and next call date`. */
export function readPrompt(prompt: string): AppSpec {
  const assumptions: string[] = [];
  // "…with an agent that looks up each lead's company via https://…" is read apart from the fields.
  const { rest, request: agentRequest } = takeAgentRequest(prompt.replace(/\s+/g, ' ').trim());
  let text = rest.replace(/[.!?]+$/, '');
  const named = /\b(?:called|named|titled)\s+["'“‘]([^"'”’]+)["'”’]|\b(?:called|named|titled)\s+([A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)*)/.exec(
    text,
  );
  const givenName = named ? (named[1] ?? named[2] ?? '').trim() : '';
  if (named) text = `${text.slice(0, named.index)} ${text.slice(named.index + named[0].length)}`.replace(/\s+/g, ' ').trim();

  const split = splitSubject(text);
  // "a hiring pipeline with candidates: name, email…": the words before the colon name the records.
  const labelled = /^([\p{L}\s'-]{2,40}?)\s*:\s*(.+)$/u.exec(split.fieldList);
  const subject = labelled && wordsOf(labelled[1] ?? '').length <= 2 ? (labelled[1] ?? '') : split.subject;
  const fieldList = labelled && wordsOf(labelled[1] ?? '').length <= 2 ? (labelled[2] ?? '') : split.fieldList;
  const found = readEntity(subject);
  const vague = found.entity === '';
  const singular = vague ? 'item' : found.entity;
  if (vague) assumptions.push('I could not tell what kind of records the app is for, so I built a general "items" tracker.');
  const head = wordsOf(singular).at(-1) ?? 'item';

  const fields: FieldSpec[] = [];
  for (const item of splitList(fieldList)) addField(fields, fieldFromItem(item, singular));
  if (fields.length === 0) {
    for (const phrase of defaultFieldPhrases(head)) addField(fields, fieldFromPhrase(phrase, singular));
    if (!vague) {
      assumptions.push(
        isKnownEntity(head)
          ? `No fields were named, so I used typical ones for ${pluralize(singular)}.`
          : 'No fields were named, so I started with a name and notes; ask me to add fields.',
      );
    }
  }
  if (!fields.some((field) => isTitleField(field))) {
    const title = fieldFromPhrase(titlePhraseFor(head), singular, { kind: 'text', required: true });
    if (title && !fields.some((field) => field.key === title.key)) fields.unshift(title);
  }
  const first = fields.find((field) => isTitleField(field));
  if (first) first.required = true;

  const suffix = appNameSuffixes[found.container] ?? 'Tracker';
  const appName = givenName ? displayName(givenName) : clip(`${titleCase(singular)} ${suffix}`, 60);
  const entity = { singular, plural: pluralize(singular), collection: camelCase(pluralize(singular)) };
  const kept = fields.slice(0, maxFields);
  const agent = agentRequest ? agentSpecFor(agentRequest, entity, kept) : null;
  if (agent) assumptions.push(...agent.assumptions);
  return { appName, entity, fields: kept, assumptions, ...(agent ? { agent: agent.agent } : {}) };
}

/** Reads a change request: add or remove a field, or rename the app. Anything else is `unknown`. */
export function readFollowUp(request: string, entitySingular = 'item'): FollowUp {
  let text = request
    .replace(/^\s*follow-up:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '');
  text = text
    .replace(/^(?:(?:please|pls|can you|could you|would you|i want to|i'd like to|let's|now|also|and)\s+)+/i, '')
    .replace(/\?$/, '');

  const rename =
    /^(?:rename|re-name|call|name)\s+(?:the\s+|this\s+|my\s+)?(?:app\s+|application\s+|it\s+)?(?:to\s+|as\s+)?(.+)$/i.exec(text) ??
    /^(?:change|set|update)\s+(?:the\s+)?(?:app(?:'s)?\s+)?(?:name|title)\s+(?:of\s+the\s+app\s+)?(?:to|as)\s+(.+)$/i.exec(text) ??
    /^(?:the\s+)?app\s+should\s+be\s+(?:called|named)\s+(.+)$/i.exec(text);
  if (rename?.[1] && !/\b(?:field|column)\b/i.test(rename[1])) {
    const name = unquote(rename[1]);
    if (name) return { kind: 'rename_app', name: displayName(name) };
  }

  const remove = /^(?:remove|delete|drop|get rid of|hide|take out|no longer track|stop tracking)\s+(.+)$/i.exec(text);
  if (remove?.[1]) {
    const phrase = cleanFieldPhrase(remove[1]);
    if (phrase) return { kind: 'remove_field', key: camelCase(phrase), label: phrase };
  }

  const add = /^(?:add|include|track|store|record|capture|put|insert)\s+(?:in\s+)?(?:a\s+new\s+|another\s+)?(.+)$/i.exec(text);
  if (add?.[1]) {
    const field = fieldFromItem(
      add[1].replace(/\s+(?:to|in|on)\s+(?:the\s+|each\s+|every\s+)?(?:form|table|app|list|records?|\w+s)$/i, ''),
      entitySingular,
    );
    if (field) return { kind: 'add_field', field };
  }
  return { kind: 'unknown' };
}

function splitSubject(text: string): { subject: string; fieldList: string } {
  const markers = [
    /\s*:\s*/,
    /\s+with\s+(?:the\s+)?(?:following\s+)?(?:fields|columns|properties|attributes|info|details)(?:\s+for)?\s*:?\s*/i,
    /\s+(?:fields|columns)\s*:?\s*/i,
    /\s+(?:with|having|including|containing|storing|tracking their|that\s+(?:has|have|tracks|stores|records|includes|captures)|which\s+(?:has|have|tracks|stores|records)|where\s+each\s+\w+\s+has)\s+/i,
  ];
  let best: RegExpExecArray | null = null;
  for (const marker of markers) {
    const match = marker.exec(text);
    if (match && (best === null || match.index < best.index)) best = match;
  }
  if (!best) return { subject: text, fieldList: '' };
  return { subject: text.slice(0, best.index), fieldList: text.slice(best.index + best[0].length) };
}

function readEntity(subject: string): { entity: string; container: string } {
  let text = subject
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  text = text.replace(
    /^(?:please\s+)?(?:i\s+(?:need|want|would like)|we\s+(?:need|want)|build|create|make|generate|design|write|set\s+up|give|help\s+me\s+build|can\s+you\s+(?:build|make|create))(?:\s+(?:me|us))?\s+/,
    '',
  );
  text = text
    .replace(/\b[\p{L}\p{N}]+'s\s+/gu, '')
    .replace(determiners, '')
    .replace(/\bto-do\b/g, 'todo');
  let container = '';
  let phrase = '';
  const forOf = new RegExp(`\\b(${containerNouns})\\s+(?:for|of|to)\\s+(?:(?:${verbs})\\s+)?(.+)$`).exec(text);
  const verbFirst = new RegExp(`^(?:(?:way|place)\\s+)?(?:(?:to|for)\\s+)?(?:${verbs})\\s+(.+)$`).exec(text);
  const nounLast = new RegExp(`^(.+?)\\s+(${containerNouns})$`).exec(text);
  if (forOf) {
    container = forOf[1] ?? '';
    phrase = forOf[2] ?? '';
  } else if (verbFirst) {
    phrase = verbFirst[1] ?? '';
  } else if (nounLast) {
    phrase = nounLast[1] ?? '';
    container = nounLast[2] ?? '';
  } else if (new RegExp(`^(?:${containerNouns})$`).test(text)) {
    container = text;
    phrase = text === 'inventory' || text === 'crm' ? text : '';
  } else {
    phrase = text;
  }
  phrase = phrase
    .split(/\s+(?:and|&|plus|with|for|in|at|by|so|that|which|to|where)\s+/)[0]!
    .replace(determiners, '')
    .replace(/\s+(?:data|info|information|records|details|entries)$/, '')
    .trim();
  const words = wordsOf(phrase).slice(-2);
  if (words.length === 0 || words.every((word) => vagueWords.has(word))) return { entity: '', container };
  const canonicalWhole = canonicalEntity(words.join(' '));
  if (canonicalWhole !== words.join(' ')) return { entity: canonicalWhole, container };
  // "hiring pipeline" is about candidates: a known synonym anywhere names the entity.
  const synonym = words.map((word) => canonicalEntity(word)).find((canonical, index) => canonical !== words[index]);
  if (synonym) return { entity: synonym, container };
  const last = singularize(words.at(-1)!);
  // "customer leads" are leads: a known kind of record needs no modifier; "event RSVPs" keeps it.
  const modifier = words.length === 2 && !vagueWords.has(words[0]!) && !isKnownEntity(last) ? `${words[0]} ` : '';
  return { entity: `${modifier}${last}`, container };
}

/** Splits `a, b and c (x, y)` at top-level commas and `and`s, keeping parentheses and quotes whole. */
function splitList(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  const flush = () => {
    if (current.trim()) items.push(current.trim());
    current = '';
  };
  for (let index = 0; index < list.length; index++) {
    const char = list[index]!;
    if (quote) {
      if (char === quote || (quote === '“' && char === '”')) quote = '';
      current += char;
      continue;
    }
    if (char === '"' || char === '“' || (char === "'" && !/\w/.test(list[index - 1] ?? ''))) quote = char;
    if (char === '(' || char === '[') depth++;
    if ((char === ')' || char === ']') && depth > 0) depth--;
    if (depth === 0 && (char === ',' || char === ';' || char === '\n' || char === '•')) {
      flush();
      continue;
    }
    if (depth === 0) {
      const rest = list.slice(index);
      const joiner = /^\s+(?:and|&|\+|as well as)\s+/.exec(rest);
      if (joiner && /\s/.test(char)) {
        flush();
        index += joiner[0].length - 1;
        continue;
      }
    }
    current += char;
  }
  flush();
  return items.map((item) => item.replace(/^(?:and|&|also)\s+/i, ''));
}

/** One listed field: `next call date`, `status (new, won, lost)`, `'due date' (date)`, `budget as money`. */
function fieldFromItem(item: string, entitySingular: string): FieldSpec | null {
  let text = item.trim();
  const hints: FieldHints = {};
  const parenthesis = /\s*[([]([^)\]]*)[)\]]\s*/.exec(text);
  if (parenthesis) {
    text = `${text.slice(0, parenthesis.index)} ${text.slice(parenthesis.index + parenthesis[0].length)}`.trim();
    readHints(parenthesis[1] ?? '', hints);
  }
  const options = /\s+(?:with\s+)?(?:options|values|choices|one\s+of)\s*:?\s+(.+)$/i.exec(text);
  if (options) {
    text = text.slice(0, options.index);
    readHints(options[1] ?? '', hints);
  }
  const typed = /\s+(?:as|of\s+type|type|which\s+is)\s+(?:an?\s+)?([\w\s/-]+)$/i.exec(text);
  if (typed && kindFromName(typed[1] ?? '')) {
    hints.kind = kindFromName(typed[1] ?? '');
    text = text.slice(0, typed.index);
  }
  if (/^required\s+|\s+required$/i.test(text)) {
    hints.required = true;
    text = text.replace(/^required\s+|\s+required$/i, '');
  }
  const phrase = cleanFieldPhrase(text);
  if (!phrase || wordsOf(phrase).length > 5) return null;
  return fieldFromPhrase(phrase, entitySingular, hints);
}

function readHints(text: string, hints: FieldHints): void {
  const parts = text
    .split(/\s*(?:,|\/|\||\bor\b)\s*/)
    .map((part) => unquote(part.trim()))
    .filter(Boolean);
  if (parts.length === 2 && parts.every((part) => /^(?:yes|no|true|false|y|n)$/i.test(part))) {
    hints.kind = 'boolean';
    return;
  }
  if (parts.length > 1) {
    hints.options = parts.map((part) => part.charAt(0).toUpperCase() + part.slice(1));
    return;
  }
  const word = (parts[0] ?? '').toLowerCase();
  if (word === 'required') hints.required = true;
  else if (word === 'optional') hints.required = false;
  else {
    const kind = kindFromName(word);
    if (kind) hints.kind = kind;
  }
}

function cleanFieldPhrase(text: string): string {
  const quoted = /["'“‘]([^"'”’]+)["'”’]/.exec(text);
  let phrase = quoted ? quoted[1]! : text;
  phrase = phrase
    .trim()
    .replace(
      /^(?:(?:a|an|the|their|its|his|her|our|my|each|every|one|new|optional|field|fields|column|columns|property|called|named|for|of)\s+)+/i,
      '',
    )
    .replace(/\s+(?:field|fields|column|columns|property|attribute)$/i, '')
    .replace(/^(?:(?:field|column|called|named)\s+)+/i, '')
    .trim();
  return phrase
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `name`, `title`, `guest name`, `product title`: a text field that names the record. */
export function isTitleField(field: FieldSpec): boolean {
  return field.kind === 'text' && (titleKeys.has(field.key) || /(?:Name|Title)$/.test(field.key));
}

function addField(fields: FieldSpec[], field: FieldSpec | null): void {
  if (field && !fields.some((existing) => existing.key === field.key)) fields.push(field);
}

function unquote(text: string): string {
  return text
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/g, '')
    .trim();
}

/** A name as the person wrote it, or title case when they wrote it all lower case. */
function displayName(name: string): string {
  const trimmed = clip(unquote(name).replace(/\s+/g, ' '), 60);
  return trimmed === trimmed.toLowerCase() ? titleCase(trimmed) : trimmed;
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : text.slice(0, length).trimEnd();
}
