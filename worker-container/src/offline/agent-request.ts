import type { AgentSpec, FieldSpec } from './app-spec';
import { camelCase, kebabCase, sentenceCase, singularize, wordsOf } from './words';

/**
 * The agent part of a new-app prompt: "a leads tracker with an agent that looks up each lead's
 * company via https://api.example-crm.com". The clause is taken out of the prompt before the
 * records and fields are read (so "an agent that…" never becomes a field), and read on its own:
 * what the agent does (a verb), to which field of each record, and through which web address.
 */
export interface AgentRequest {
  /** The base verb: `lookup`, `enrich`, `check`… */
  verb: string;
  /** The word the verb acts on ("company" in "looks up each lead's company"), or null. */
  target: string | null;
  /** The first web address in the clause (or the prompt), as written. */
  url: string | null;
  /** The prompt says the service needs a key or token. */
  needsSecret: boolean;
  /** The clause itself, for the agent's description. */
  clause: string;
}

const agentWord = /\b(?:an?|one|the)\s+(?:ai\s+|smart\s+|small\s+|little\s+|background\s+)?agent\b/i;
const connector = /(?:,\s*|\s+)(?:(?:and|with|plus|also|that has|having)\s+)?$/i;
const verbs: readonly [RegExp, string][] = [
  [/^look(?:s|ing|ed)?\s+up\b/i, 'lookup'],
  [/^enrich(?:es|ing|ed)?\b/i, 'enrich'],
  [/^check(?:s|ing|ed)?\b/i, 'check'],
  [/^verif(?:y|ies|ying|ied)\b/i, 'verify'],
  [/^find(?:s|ing)?\b/i, 'find'],
  [/^fetch(?:es|ing|ed)?\b/i, 'fetch'],
  [/^gets?\b|^getting\b/i, 'fetch'],
  [/^researche?s?\b|^researching\b/i, 'research'],
  [/^scor(?:e|es|ing|ed)\b/i, 'score'],
  [/^classif(?:y|ies|ying)\b/i, 'classify'],
  [/^summari[sz](?:e|es|ing)\b/i, 'summarize'],
];
const verbNouns: Readonly<Record<string, string>> = {
  lookup: 'lookup',
  enrich: 'enricher',
  check: 'check',
  verify: 'verifier',
  find: 'finder',
  fetch: 'fetcher',
  research: 'researcher',
  score: 'scorer',
  classify: 'classifier',
  summarize: 'summarizer',
};
/** "looks up", "enriches"…: what the agent does, in its description. */
const verbPhrases: Readonly<Record<string, [base: string, third: string]>> = {
  lookup: ['look up', 'looks up'],
  enrich: ['enrich', 'enriches'],
  check: ['check', 'checks'],
  verify: ['verify', 'verifies'],
  find: ['find', 'finds'],
  fetch: ['fetch', 'fetches'],
  research: ['research', 'researches'],
  score: ['score', 'scores'],
  classify: ['classify', 'classifies'],
  summarize: ['summarize', 'summarizes'],
};
const urlPattern = /\bhttps?:\/\/[^\s,;)"'<>]+/i;
const secretWords = /\b(?:api[\s-]?keys?|tokens?|secrets?|credentials?|passwords?|bearer)\b/i;

/** Splits the agent clause off a prompt; `rest` is the prompt without it. */
export function takeAgentRequest(prompt: string): { rest: string; request: AgentRequest | null } {
  const found = agentWord.exec(prompt);
  if (!found) return { rest: prompt, request: null };
  const before = prompt.slice(0, found.index);
  const lead = connector.exec(before);
  const start = lead ? lead.index : found.index;
  // The clause runs to the end of its sentence: a full stop followed by a space, or the end.
  const after = prompt.slice(found.index);
  const stop = /\.\s/.exec(after);
  const end = stop ? found.index + stop.index : prompt.length;
  const clause = prompt.slice(found.index, end).trim();
  const rest = `${prompt.slice(0, start)}${prompt.slice(end)}`.replace(/\s+/g, ' ').trim();
  const url = urlPattern.exec(clause)?.[0] ?? urlPattern.exec(prompt)?.[0] ?? null;
  const action = /\b(?:that|which|who|to|for)\s+(.+)$/i.exec(clause.slice(found[0].length))?.[1] ?? '';
  let verb = 'lookup';
  let object = action;
  for (const [pattern, base] of verbs) {
    const match = pattern.exec(action);
    if (match) {
      verb = base;
      object = action.slice(match[0].length);
      break;
    }
  }
  object = object.replace(urlPattern, ' ').replace(/\b(?:via|using|with|from|through|at|on|in)\b.*$/i, '');
  const possessive = /([\p{L}-]+)(?:'s|’s|s')\s+([\p{L}-]+(?:\s+[\p{L}-]+)?)/u.exec(object);
  const plain = /^\s*(?:(?:each|every|the|a|an|new|all|its|their)\s+)*([\p{L}-]+)/u.exec(object);
  const target = (possessive?.[2] ?? plain?.[1] ?? '').trim().toLowerCase() || null;
  return {
    rest,
    request: { verb, target, url: url?.replace(/[.,;:!?]+$/, '') ?? null, needsSecret: secretWords.test(clause), clause },
  };
}

/** Which field of the record the agent reads: the named one, or the record's title. */
function inputField(target: string | null, entitySingular: string, fields: readonly FieldSpec[]): FieldSpec | null {
  const title = fields.find((field) => field.required && field.kind === 'text') ?? fields[0] ?? null;
  if (!target) return title;
  const words = wordsOf(target);
  const candidates = [words.join(' '), words[0] ?? ''].filter(Boolean);
  for (const candidate of candidates) {
    const key = camelCase(candidate);
    const match = fields.find(
      (field) => field.key === key || field.label.toLowerCase() === candidate || field.key === camelCase(singularize(candidate)),
    );
    if (match) return match;
  }
  return singularize(target) === entitySingular ? title : (title ?? null);
}

const snake = (text: string) =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** The secret a service's key is kept under: `EXAMPLE_CRM_TOKEN` for api.example-crm.com. */
export function secretNameFor(domain: string): string {
  const labels = domain.split('.').slice(0, -1);
  const label =
    labels.filter((part) => !['api', 'www', 'app', 'service'].includes(part)).sort((a, b) => b.length - a.length)[0] ??
    labels[0] ??
    'SERVICE';
  const name = `${label.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_TOKEN`.replace(/^_+/, '');
  return /^[A-Z]/.test(name) ? name.slice(0, 64) : `API_${name}`.slice(0, 64);
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

const dnsName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The agent the generated app declares, with what the generator had to assume said aloud. */
export function agentSpecFor(
  request: AgentRequest,
  entity: { singular: string; plural: string },
  fields: readonly FieldSpec[],
): { agent: AgentSpec; assumptions: string[] } {
  const assumptions: string[] = [];
  const field = inputField(request.target, entity.singular, fields);
  const subject = field ? field.label.toLowerCase() : entity.singular;
  const noun = verbNouns[request.verb] ?? 'agent';
  const phrase = verbPhrases[request.verb] ?? ['look up', 'looks up'];
  const name = sentenceCase(`${subject} ${noun}`).slice(0, 80);
  const id = kebabCase(`${subject} ${noun}`).slice(0, 48).replace(/-+$/, '') || 'agent';
  let tool: AgentSpec['tool'] = null;
  let url: URL | null = null;
  try {
    url = request.url ? new URL(request.url) : null;
  } catch {
    assumptions.push(`I could not read "${request.url ?? ''}" as a web address, so the agent has no tool yet.`);
  }
  if (url && url.protocol === 'http:') {
    url.protocol = 'https:';
    assumptions.push(`Agent tools call HTTPS only, so the agent uses ${url.origin}.`);
  }
  if (url && (!dnsName.test(url.hostname) || url.port !== '' || url.username !== '' || url.password !== '')) {
    assumptions.push(
      `The agent's tool must call a public host name without a port, so "${url.host}" was left out; add the tool in agents.json.`,
    );
    url = null;
  }
  if (url && field) {
    const inputKey = field.key;
    const toolName = `${request.verb}_${snake(inputKey)}`.slice(0, 48).replace(/_+$/, '');
    const secretName = request.needsSecret ? secretNameFor(url.hostname) : null;
    tool = {
      name: toolName === 'read_app_data' || toolName === 'update_app_data' ? `call_${toolName}`.slice(0, 48) : toolName,
      description: `${capitalized(phrase[0])} a ${entity.singular}'s ${field.label.toLowerCase()} at ${url.hostname}`.slice(0, 1000),
      url: `${url.origin}${url.pathname === '/' ? '' : url.pathname}`,
      domain: url.hostname,
      inputKey,
      secretName,
    };
    if (secretName)
      assumptions.push(
        `The agent sends its key as {{secrets.${secretName}}}; an admin sets ${secretName} under the app's secrets (it never appears in the app or its files).`,
      );
  } else if (!url && !request.url) {
    assumptions.push('No web address was given for the agent, so it has no tool yet; add one in agents.json.');
  }
  const via = tool ? ` via ${tool.domain}` : '';
  const agent: AgentSpec = {
    id,
    name,
    description: capitalized(`${phrase[1]} each ${entity.singular}'s ${subject}${via}`).slice(0, 1000),
    instructions: tool
      ? `Call ${tool.name} with the ${entity.singular}'s ${subject} (the trigger's input holds the ${entity.singular}: its id and fields) and write what it returns to that ${entity.singular}.`
      : `Read the ${entity.singular} named by the trigger's input (its id and fields) and summarize it.`,
    tool,
  };
  assumptions.push(
    `The ${name} agent is a draft until an admin approves agents.json: until then its tools answer mock data and it cannot read or change ${entity.plural}.${
      tool ? ` Each change it makes to a ${entity.singular} waits for a person to approve it.` : ''
    }`,
  );
  return { agent, assumptions };
}
