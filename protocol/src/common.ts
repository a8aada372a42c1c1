import { z } from 'zod';
import { limits } from './limits';

/** Opaque identifiers: a short prefix, an underscore, then url-safe characters. */
export const Id = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[a-z]+_[A-Za-z0-9_-]+$/, 'must be a Hangar id');
export type Id = z.infer<typeof Id>;

export const IsoDateTime = z.iso.datetime();

export const Email = z
  .string()
  .trim()
  .max(limits.maxEmailLength)
  .pipe(z.email())
  .transform((value) => value.toLowerCase());

export const DisplayName = z.string().trim().min(1, 'is required').max(limits.maxNameLength);

/** A page of results with an opaque cursor for the next page (null when there is none). */
export const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
export type Page<T> = { items: T[]; nextCursor: string | null };

export const Cursor = z.string().min(1).max(512);
export const PageSize = z.coerce.number().int().min(1).max(limits.maxPageSize);
