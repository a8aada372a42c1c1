import { toolSecretNames, type HttpTool, type TemplateValue, type ToolInputSchema } from '@hangar/protocol';
import { ValidationError } from '../errors';

/**
 * Turns an approved HTTP tool and the agent's input into a concrete request. Secrets are put in
 * only here, in the control plane; `preview` is the same request with every secret left as its
 * placeholder, which is what people, the model and the audit log see.
 */
export interface RenderedToolRequest {
  method: HttpTool['method'];
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ToolRequestPreview extends RenderedToolRequest {
  host: string;
  secretNames: string[];
}

type InputValue = string | number | boolean;

/** Checks the agent's input against the tool's schema: declared fields only, types, enums, lengths. */
export function validateToolInput(schema: ToolInputSchema, input: unknown): Record<string, InputValue> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ValidationError('The tool input must be an object.');
  const result: Record<string, InputValue> = {};
  for (const [key, value] of Object.entries(input)) {
    const property = schema.properties[key];
    if (!property || !Object.hasOwn(schema.properties, key)) throw new ValidationError(`"${key}" is not an input of this tool.`);
    const ok =
      property.type === 'string'
        ? typeof value === 'string'
        : property.type === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number' && Number.isFinite(value) && (property.type === 'number' || Number.isInteger(value));
    if (!ok) throw new ValidationError(`"${key}" must be a ${property.type}.`);
    if (typeof value === 'string' && value.length > (property.maxLength ?? 2000)) throw new ValidationError(`"${key}" is too long.`);
    if (property.enum && !property.enum.includes(value as string | number))
      throw new ValidationError(`"${key}" must be one of ${property.enum.join(', ')}.`);
    result[key] = value as InputValue;
  }
  for (const key of schema.required ?? []) if (!(key in result)) throw new ValidationError(`"${key}" is required.`);
  return result;
}

type Substitute = (kind: 'input' | 'secrets', name: string) => string;

function fill(template: string, substitute: Substitute): string {
  return template.replace(/\{\{\s*(input|secrets)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_match, kind: 'input' | 'secrets', name: string) =>
    substitute(kind, name),
  );
}

function fillJson(value: TemplateValue, substitute: Substitute, input: Record<string, InputValue>): unknown {
  if (typeof value === 'string') {
    // A string that is exactly one input placeholder keeps the input's type (a number stays a number).
    const whole = /^\{\{\s*input\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(value);
    if (whole?.[1] !== undefined && whole[1] in input) return input[whole[1]];
    return fill(value, substitute);
  }
  if (Array.isArray(value)) return value.map((item) => fillJson(item, substitute, input));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillJson(item, substitute, input)]));
  return value;
}

function render(tool: HttpTool, input: Record<string, InputValue>, secret: (name: string) => string, encode: boolean): RenderedToolRequest {
  const plain: Substitute = (kind, name) => (kind === 'input' ? String(input[name] ?? '') : secret(name));
  const inUrl: Substitute = (kind, name) => encodeURIComponent(plain(kind, name));
  const url = new URL(fill(tool.url, encode ? inUrl : plain));
  for (const [key, template] of Object.entries(tool.query ?? {})) url.searchParams.set(key, fill(template, plain));
  const headers: Record<string, string> = {};
  for (const [key, template] of Object.entries(tool.headers ?? {})) headers[key.toLowerCase()] = fill(template, plain);
  const rendered: RenderedToolRequest = { method: tool.method, url: url.toString(), headers };
  if (tool.body !== undefined) {
    rendered.body = JSON.stringify(fillJson(tool.body, plain, input));
    headers['content-type'] ??= 'application/json';
  }
  return rendered;
}

/** The request that will be sent, with secrets as placeholders: safe to show and to audit. */
export function previewToolRequest(tool: HttpTool, input: Record<string, InputValue>): ToolRequestPreview {
  const rendered = render(tool, input, (name) => `{{secrets.${name}}}`, false);
  return { ...rendered, host: new URL(rendered.url).hostname, secretNames: toolSecretNames(tool) };
}

/** The request with secret values filled in. Never log, store or return it. */
export function renderToolRequest(tool: HttpTool, input: Record<string, InputValue>, secrets: Map<string, string>): RenderedToolRequest {
  return render(
    tool,
    input,
    (name) => {
      const value = secrets.get(name);
      if (value === undefined) throw new ValidationError(`The secret ${name} is not set.`);
      return value;
    },
    true,
  );
}

/** Replaces every occurrence of a secret value (and its URL-encoded form) in text. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const value of secrets) {
    if (value.length < 4) continue;
    for (const form of new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]))
      result = result.split(form).join('[redacted]');
  }
  return result;
}
