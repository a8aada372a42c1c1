import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The kit's real sources (linted and type-checked with `tsc -p worker-container/src/offline/app-kit`),
 * found on first use, never at import: a Lambda bundle imports the offline provider through the
 * model catalog but has no `import.meta.url` and no kit files, and must still start.
 */
let kitSourceDir: string | null = null;
function kitSource(path: string): string {
  if (kitSourceDir === null) {
    const here = typeof import.meta.url === 'string' ? import.meta.url : null;
    if (!here)
      throw new Error(
        'The offline app kit is not available in this build (run the offline generator from the repository or the worker image).',
      );
    kitSourceDir = fileURLToPath(new URL('./src/', here));
  }
  return `${kitSourceDir}${path}`;
}

/** The kit files every generated app gets, as `[path in the kit's src/, path in the app]`. */
export const appKitFiles = [
  ['lib/record-fields.ts', 'src/lib/record-fields.ts'],
  ['components/record-form-dialog.tsx', 'src/components/record-form-dialog.tsx'],
  ['components/record-table.tsx', 'src/components/record-table.tsx'],
  ['components/delete-record-dialog.tsx', 'src/components/delete-record-dialog.tsx'],
  ['components/agent-panel.tsx', 'src/components/agent-panel.tsx'],
] as const;

/** What App.tsx names that generation replaces: the sample fields module, its record type and the header icon. */
export const appPlaceholders = { fieldsModule: './sample-record-fields', recordType: 'SampleRecord', icon: 'LayoutListIcon' } as const;

const cache = new Map<string, string>();

/** One file of the kit, read from disk at generation time (once per process). */
export function readKitFile(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(kitSource(path), 'utf8');
    cache.set(path, text);
  }
  return text;
}

/** The app screen for one fields file: the kit's App.tsx with the sample names replaced. */
export function appScreenSource(fieldsModule: string, recordType: string, icon: string): string {
  const source = readKitFile('App.tsx');
  const word = (name: string) => new RegExp(`\\b${name}\\b`, 'g');
  return source
    .replaceAll(`'${appPlaceholders.fieldsModule}'`, `'./${fieldsModule}'`)
    .replace(word(appPlaceholders.recordType), recordType)
    .replace(word(appPlaceholders.icon), icon);
}
