import type { Context } from 'hono';
import type { z } from 'zod';
import { Id } from '@hangar/protocol';
import { BadRequestError, HangarError, NotFoundError, ValidationError } from '../domain/errors';

/** zod issues as a compact, client-safe list. */
export function issuesOf(error: z.ZodError): { path: string; message: string; code: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code }));
}

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'The request is not valid.';
  const where = first.path.length ? `${first.path.join('.')}: ` : '';
  return `${where}${first.message}`;
}

/** Reads a JSON body and validates it; unknown keys are rejected by the strict schemas. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T, options: { emptyAs?: unknown } = {}): Promise<z.infer<T>> {
  const text = await c.req.text();
  let value: unknown;
  if (text.trim() === '' && 'emptyAs' in options) {
    value = options.emptyAs;
  } else {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json(\s*;|$)/i.test(type)) {
      throw new HangarError(415, 'unsupported_media_type', 'Send a JSON body with content-type: application/json.');
    }
    try {
      value = JSON.parse(text);
    } catch {
      throw new BadRequestError('The request body is not valid JSON.', 'malformed_json');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(describe(parsed.error), issuesOf(parsed.error));
  return parsed.data;
}

/** Validates the query string; repeated keys and unknown keys are refused. */
export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const all = c.req.queries();
  const single: Record<string, string> = {};
  for (const [key, values] of Object.entries(all)) {
    if (values.length !== 1) throw new ValidationError(`Query parameter '${key}' is repeated.`);
    single[key] = values[0] as string;
  }
  const parsed = schema.safeParse(single);
  if (!parsed.success) throw new ValidationError(describe(parsed.error), issuesOf(parsed.error));
  return parsed.data;
}

/** A path id: anything that is not a well-formed id cannot exist, so it is a 404. */
export function pathId(c: Context, name: string, what = 'Resource'): string {
  const parsed = Id.safeParse(c.req.param(name));
  if (!parsed.success) throw new NotFoundError(`${what} not found.`);
  return parsed.data;
}
