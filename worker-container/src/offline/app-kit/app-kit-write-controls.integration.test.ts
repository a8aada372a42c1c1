import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { generateApp } from '../app-generator';
import { readPrompt } from '../prompt-reader';

const templateSrc = fileURLToPath(new URL('../../../../template/src/', import.meta.url));
const kitSrc = fileURLToPath(new URL('./src/', import.meta.url));

/**
 * The generated app's screen, rendered for a person who may write and for one who may not. The
 * SDK is replaced by a stub whose `useCollection` answers what the test says; everything else is
 * the generated source and the template's UI kit, resolved as the app's `@/` paths are.
 */
describe('a generated app hides its write controls from people who may not write', () => {
  let kit: { App: () => unknown; Toaster: (props: object) => unknown };
  let appDir: string;
  const records = [{ _id: 'a-1', name: 'Ada Lovelace', email: 'ada@example.com', status: 'New', createdAt: 1 }];

  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'hangar-kit-'));
    const spec = readPrompt('a tracker for customer leads with name, email and status');
    for (const file of generateApp(spec)) {
      if (!file.path.startsWith('src/')) continue;
      const target = join(appDir, file.path);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, file.content);
    }
    const stub = join(appDir, 'hangar-stub.ts');
    writeFileSync(
      stub,
      `export function useCollection() {
         const state = globalThis.__hangarTest;
         return { data: state.records, loading: false, error: null, hasMore: false, loadMore() {}, hasPendingWrites: false,
                  writeError: null, insert: async () => ({}), update: async () => ({}), remove: async () => {}, canWrite: state.canWrite };
       }
       // The Agents panel is in every generated app; with no agents it renders nothing.
       export function useAgentList() { return { data: [], loading: false, error: null, reload() {} }; }
       export function useAgent() { return { trigger: async () => null, status: 'idle', result: null, error: null, runId: null }; }
       export function isAgentRunFinished() { return false; }`,
    );
    const candidates = (path: string) =>
      [join(appDir, 'src', path), join(kitSrc, path), join(templateSrc, path)].flatMap((base) => [`${base}.tsx`, `${base}.ts`]);
    // One server-side bundle of the generated screen; packages stay outside it, imported from
    // where the template's are installed, so the app and the test share one React.
    const entry = join(appDir, 'entry.ts');
    writeFileSync(entry, `export { App } from './src/App.tsx';\nexport { Toaster } from '@/components/ui/toast';\n`);
    await build({
      root: appDir,
      configFile: false,
      logLevel: 'silent',
      build: {
        ssr: entry,
        outDir: join(appDir, 'out'),
        write: true,
        minify: false,
        rollupOptions: { output: { entryFileNames: 'app.mjs' } },
      },
      plugins: [
        {
          name: 'app-paths',
          enforce: 'pre',
          async resolveId(source, importer) {
            if (source === '@/lib/hangar') return stub;
            if (source.startsWith('@/')) return candidates(source.slice(2)).find((candidate) => existsSync(candidate)) ?? null;
            if (importer && !/^[./\0]/.test(source)) {
              const resolved = await this.resolve(source, join(templateSrc, 'main.tsx'), { skipSelf: true });
              return resolved ? { id: resolved.id, external: true } : null;
            }
            return null;
          },
        },
      ],
    });
    kit = (await import(pathToFileURL(join(appDir, 'out', 'app.mjs')).href)) as typeof kit;
  });
  afterAll(() => {
    rmSync(appDir, { recursive: true, force: true });
  });

  /** The labels of every button on the page. */
  const buttons = (html: string) =>
    [...html.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].map((match) => {
      const label = /aria-label="([^"]*)"/.exec(match[0])?.[1];
      return label ?? (match[1] ?? '').replace(/<[^>]+>/g, '').trim();
    });

  async function render(canWrite: boolean, shown = records): Promise<string> {
    (globalThis as { __hangarTest?: unknown }).__hangarTest = { canWrite, records: shown };
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    return renderToStaticMarkup(createElement(kit.Toaster as never, null, createElement(kit.App as never)));
  }

  it('a person who may write sees New, Edit and Delete', async () => {
    const html = await render(true);
    expect(buttons(html)).toEqual(['New lead', 'Filter by status', 'Edit Ada Lovelace', 'Delete Ada Lovelace']);
    expect(html).not.toContain('View only');
    expect(buttons(await render(true, []))).toContain('New lead');
  });

  it('a person who may only read sees the records, marked view only, with no control that writes', async () => {
    const html = await render(false);
    expect(html).toContain('Ada Lovelace');
    expect(html).toContain('View only');
    // Searching and filtering are all that is left.
    expect(buttons(html)).toEqual(['Filter by status']);
    expect(html).not.toContain('>Actions<');
    // The empty state does not invite them to add either.
    const empty = await render(false, []);
    expect(empty).toContain('No leads yet');
    expect(buttons(empty)).toEqual(['Filter by status']);
    expect(empty).not.toContain('Add your first');
  });
});
