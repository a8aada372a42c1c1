import type { z } from 'zod';
import {
  AgentsDocument,
  agentsLimits,
  type AgentCapabilities,
  type AgentsValidationError,
  type AppAgent,
  type HttpTool,
  type TemplateValue,
} from './agents';

/**
 * The policy half of agents.json validation. Pure and deterministic: the console, the control
 * plane and the worker classify a configuration the same way, and no model's own label decides.
 */

/** Tool names the platform uses itself; a custom tool may not shadow them. */
export const reservedToolNames: ReadonlySet<string> = new Set([
  'read_app_data',
  'update_app_data',
  'read_file',
  'write_file',
  'edit_file',
  'list_files',
  'search_files',
  'add_dependency',
  'done_building',
  'present_plan',
  'rename_app',
  'request_approval',
]);

/** The placeholders a template may hold. */
export type Placeholder = { kind: 'input'; name: string } | { kind: 'secrets'; name: string };

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every `{{…}}` in a template string; unknown forms come back as errors. */
export function placeholdersIn(template: string): { placeholders: Placeholder[]; errors: string[] } {
  const placeholders: Placeholder[] = [];
  const errors: string[] = [];
  for (const match of template.matchAll(placeholderPattern)) {
    const body = match[1] ?? '';
    const parsed = /^(input|secrets)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(body);
    if (!parsed) errors.push(`"{{${body}}}" is not a placeholder: use {{input.field}} or {{secrets.NAME}}`);
    else if (parsed[1] === 'secrets' && !/^[A-Z][A-Z0-9_]*$/.test(parsed[2] ?? ''))
      errors.push(`secret names are upper snake case: "{{${body}}}"`);
    else placeholders.push({ kind: parsed[1] as 'input' | 'secrets', name: parsed[2] ?? '' });
  }
  if (/\{\{|\}\}/.test(template.replace(placeholderPattern, ''))) errors.push('has an unbalanced "{{" or "}}"');
  return { placeholders, errors };
}

/** Header names whose values are credentials: they must come from a secret placeholder. */
const credentialHeader = /^(authorization|proxy-authorization|cookie)$|token|secret|api[-_]?key|password|session|auth/i;
const forbiddenHeaders = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'expect',
]);
/** Shapes of well-known credentials, and long high-entropy runs. */
const secretShapes = [
  /\bsk-[A-Za-z0-9_-]{16,}/,
  /\bsk_(live|test)_[A-Za-z0-9]{10,}/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
function looksLikeSecret(text: string): boolean {
  const literal = text.replace(placeholderPattern, ' ');
  if (secretShapes.some((shape) => shape.test(literal))) return true;
  for (const run of literal.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []) {
    if (/[0-9]/.test(run) && /[A-Za-z]/.test(run) && !/^[a-z-]+$/.test(run)) return true;
  }
  return false;
}

interface Problems {
  add(path: string, message: string): void;
}

function checkTemplate(text: string, path: string, tool: HttpTool, problems: Problems): Placeholder[] {
  const { placeholders, errors } = placeholdersIn(text);
  for (const error of errors) problems.add(path, error);
  for (const placeholder of placeholders) {
    if (placeholder.kind === 'input' && !(placeholder.name in tool.inputSchema.properties))
      problems.add(path, `{{input.${placeholder.name}}} is not a property of the tool's inputSchema`);
  }
  if (looksLikeSecret(text)) problems.add(path, 'looks like a secret in plain text: store it as a secret and use {{secrets.NAME}}');
  return placeholders;
}

function walkTemplate(value: TemplateValue, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, index) => walkTemplate(item, `${path}[${index}]`, visit));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) walkTemplate(item, `${path}.${key}`, visit);
}

/** Whether `host` is the declared domain or one of its subdomains. */
export function hostIsOnDomain(host: string, domain: string): boolean {
  const normalized = host.toLowerCase().replace(/\.$/, '');
  return normalized === domain || normalized.endsWith(`.${domain}`);
}

function checkUrl(tool: HttpTool, path: string, problems: Problems): void {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(tool.url);
  if (!match) {
    problems.add(path, 'must be an absolute https:// URL');
    return;
  }
  const [, scheme = '', authority = ''] = match;
  if (scheme.toLowerCase() !== 'https') {
    problems.add(path, `must use https: (${scheme.toLowerCase()}: is refused)`);
    return;
  }
  if (authority.includes('{{')) {
    const { placeholders } = placeholdersIn(authority);
    problems.add(
      path,
      placeholders.some((placeholder) => placeholder.kind === 'secrets')
        ? "a {{secrets.…}} placeholder would put a secret into the URL's host"
        : "placeholders are not allowed in the URL's host",
    );
    return;
  }
  if (authority.includes('@')) {
    problems.add(path, 'must not hold credentials before the host: use a header with {{secrets.NAME}}');
    return;
  }
  const hostMatch = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hostMatch || Number(hostMatch[2] ?? 443) > 65535) {
    problems.add(path, 'is not a valid URL: the host must be a DNS name, with an optional port');
    return;
  }
  const host = (hostMatch[1] ?? '').toLowerCase();
  if (!hostIsOnDomain(host, tool.domain)) problems.add(path, `host ${host} is outside the declared domain ${tool.domain}`);
  checkTemplate(tool.url, path, tool, problems);
}

function checkTool(tool: HttpTool, index: number, problems: Problems): void {
  const base = `tools[${index}]`;
  if (reservedToolNames.has(tool.name) || tool.name.startsWith('hangar_'))
    problems.add(`${base}.name`, `"${tool.name}" is a reserved tool name`);
  checkUrl(tool, `${base}.url`, problems);
  for (const [name, value] of Object.entries(tool.query ?? {})) checkTemplate(value, `${base}.query.${name}`, tool, problems);
  for (const [name, value] of Object.entries(tool.headers ?? {})) {
    const path = `${base}.headers.${name}`;
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) problems.add(path, 'is not a valid header name');
    if (forbiddenHeaders.has(name.toLowerCase())) problems.add(path, `the ${name.toLowerCase()} header is set by the platform`);
    const placeholders = checkTemplate(value, path, tool, problems);
    if (credentialHeader.test(name)) {
      const literal = value
        .replace(placeholderPattern, '')
        .replace(/\b(Bearer|Basic|Token|Bot|ApiKey|Key)\b/gi, '')
        .trim();
      const hasSecret = placeholders.some((placeholder) => placeholder.kind === 'secrets');
      if (!hasSecret || /[A-Za-z0-9]{4,}/.test(literal))
        problems.add(path, 'holds a literal credential: store it as a secret and use {{secrets.NAME}}');
    }
  }
  if (tool.body !== undefined) {
    if (tool.method === 'GET') problems.add(`${base}.body`, 'a GET tool sends no body');
    walkTemplate(tool.body, `${base}.body`, (text, path) => checkTemplate(text, path, tool, problems));
  }
  for (const [position, name] of (tool.inputSchema.required ?? []).entries())
    if (!(name in tool.inputSchema.properties))
      problems.add(`${base}.inputSchema.required[${position}]`, `"${name}" is not a declared property`);
  if (tool.mock !== undefined && JSON.stringify(tool.mock).length > agentsLimits.maxMockBytes)
    problems.add(`${base}.mock`, `is larger than ${agentsLimits.maxMockBytes} bytes`);
}

const cronRanges: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
/** Checks a five-field cron expression; returns the reason it is invalid, or null. */
export function cronProblem(cron: string): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return 'cron needs five fields: minute hour day-of-month month day-of-week';
  for (const [position, field] of fields.entries()) {
    const [min, max] = cronRanges[position] ?? [0, 0];
    for (const part of field.split(',')) {
      const parsed = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!parsed) return `cron field ${position + 1} ("${field}") is not a number, range, list, step or *`;
      const numbers = [parsed[2], parsed[3]].filter((value): value is string => value !== undefined).map(Number);
      if (numbers.some((value) => value < min || value > max)) return `cron field ${position + 1} must be within ${min}–${max}`;
      if (numbers.length === 2 && (numbers[0] ?? 0) > (numbers[1] ?? 0)) return `cron field ${position + 1} has a backwards range`;
      if (parsed[4] !== undefined && Number(parsed[4]) === 0) return `cron field ${position + 1} has a zero step`;
    }
  }
  return null;
}

/** `rate(5 minutes)` → milliseconds, or null when it is not a rate expression. */
export function rateMilliseconds(rate: string): number | null {
  const parsed = /^rate\((\d{1,6}) (minute|minutes|hour|hours|day|days)\)$/.exec(rate.trim());
  if (!parsed) return null;
  const value = Number(parsed[1]);
  const unit = parsed[2] ?? '';
  if (value < 1 || (value === 1) !== !unit.endsWith('s')) return null;
  const unitMs = unit.startsWith('minute') ? 60_000 : unit.startsWith('hour') ? 3_600_000 : 86_400_000;
  return value * unitMs;
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function checkAgent(agent: AppAgent, index: number, tools: Map<string, HttpTool>, problems: Problems): void {
  const base = `agents[${index}]`;
  agent.tools.forEach((name, position) => {
    if (!tools.has(name)) problems.add(`${base}.tools[${position}]`, `"${name}" is not declared in tools`);
  });
  if (new Set(agent.tools).size !== agent.tools.length) problems.add(`${base}.tools`, 'lists a tool twice');
  agent.triggers.forEach((trigger, position) => {
    if (trigger.type !== 'schedule') return;
    const path = `${base}.triggers[${position}]`;
    if (trigger.cron !== undefined) {
      const problem = cronProblem(trigger.cron);
      if (problem) problems.add(`${path}.cron`, problem);
    }
    if (trigger.rate !== undefined && rateMilliseconds(trigger.rate) === null)
      problems.add(`${path}.rate`, 'must look like rate(5 minutes), rate(1 hour) or rate(2 days)');
    if (!validTimeZone(trigger.timezone)) problems.add(`${path}.timezone`, `"${trigger.timezone}" is not an IANA time zone`);
  });
}

/** The rule-of-two classes of one agent, from what it declares. */
export function classifyAgent(agent: AppAgent, tools: Map<string, HttpTool>): AgentCapabilities {
  const reasons: string[] = [];
  const declared = agent.tools.map((name) => tools.get(name)).filter((tool): tool is HttpTool => tool !== undefined);
  const secretBearing = declared.filter((tool) => toolSecretNames(tool).length > 0);
  const stateChanging = declared.filter((tool) => tool.method !== 'GET');
  for (const tool of declared) reasons.push(`reads untrusted content: ${tool.name} returns what ${tool.domain} sends`);
  if (agent.dataCollections.read.length + agent.dataCollections.write.length > 0)
    reasons.push(
      `touches private data: app collections ${[...new Set([...agent.dataCollections.read, ...agent.dataCollections.write])].join(', ')}`,
    );
  for (const tool of secretBearing) reasons.push(`touches private data: ${tool.name} carries secrets ${toolSecretNames(tool).join(', ')}`);
  if (agent.dataCollections.write.length > 0) reasons.push(`changes state: writes ${agent.dataCollections.write.join(', ')}`);
  for (const tool of stateChanging) reasons.push(`changes state or talks outside: ${tool.name} is a ${tool.method} call to ${tool.domain}`);

  const readsUntrustedContent = declared.length > 0;
  const touchesPrivateData = agent.dataCollections.read.length + agent.dataCollections.write.length > 0 || secretBearing.length > 0;
  const changesStateOrTalksOutside = agent.dataCollections.write.length > 0 || stateChanging.length > 0;
  const requiresCallApproval = readsUntrustedContent && touchesPrivateData && changesStateOrTalksOutside;
  const approvalRequiredFor = requiresCallApproval
    ? [...stateChanging.map((tool) => tool.name), ...(agent.dataCollections.write.length > 0 ? ['update_app_data'] : [])]
    : [];
  return { readsUntrustedContent, touchesPrivateData, changesStateOrTalksOutside, requiresCallApproval, reasons, approvalRequiredFor };
}

/** The secret names a tool's templates use, sorted and unique. */
export function toolSecretNames(tool: HttpTool): string[] {
  const names = new Set<string>();
  const collect = (text: string) => {
    for (const placeholder of placeholdersIn(text).placeholders) if (placeholder.kind === 'secrets') names.add(placeholder.name);
  };
  collect(tool.url);
  for (const value of Object.values(tool.query ?? {})) collect(value);
  for (const value of Object.values(tool.headers ?? {})) collect(value);
  if (tool.body !== undefined) walkTemplate(tool.body, '', collect);
  return [...names].sort();
}

function zodPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

export interface AgentsValidation {
  valid: boolean;
  errors: AgentsValidationError[];
  capabilities: Record<string, AgentCapabilities>;
  /** The parsed document, when the shape was right (even if the policy refused it). */
  document: AgentsDocument | null;
}

/** Validates an agents.json value: the shape, then every policy rule, with a path per problem. */
export function validateAgentsDocument(input: unknown): AgentsValidation {
  const parsed = AgentsDocument.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
      path: zodPath(issue.path) || '(document)',
      message: issue.message,
    }));
    return { valid: false, errors, capabilities: {}, document: null };
  }
  const document = parsed.data;
  const errors: AgentsValidationError[] = [];
  const problems: Problems = { add: (path, message) => errors.push({ path, message }) };
  const tools = new Map<string, HttpTool>();
  document.tools.forEach((tool, index) => {
    if (tools.has(tool.name)) problems.add(`tools[${index}].name`, `"${tool.name}" is declared twice`);
    tools.set(tool.name, tool);
    checkTool(tool, index, problems);
  });
  const agentIds = new Set<string>();
  document.agents.forEach((agent, index) => {
    if (agentIds.has(agent.id)) problems.add(`agents[${index}].id`, `"${agent.id}" is declared twice`);
    agentIds.add(agent.id);
    checkAgent(agent, index, tools, problems);
  });
  const capabilities: Record<string, AgentCapabilities> = {};
  for (const agent of document.agents) capabilities[agent.id] = classifyAgent(agent, tools);
  return { valid: errors.length === 0, errors, capabilities, document };
}

/** JSON with object keys sorted at every level: the form whose hash an admin approves. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** The version tag of the approval hash: a change to canonicalization bumps it. */
export const agentsHashVersion = 'agents-v1';
