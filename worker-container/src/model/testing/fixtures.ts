import { readFileSync } from 'node:fs';

/** Reads a recorded stream from `../__fixtures__/`. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');
}
