import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsFilePath, generateApp, recordTypeName, renderFieldsFile } from '../app-generator';
import { readPrompt } from '../prompt-reader';
import { appKitFiles, readKitFile } from './app-kit-files';
import { sampleSpec } from './sample-spec';

describe('the offline app kit: real source files, read at generation time', () => {
  it('keeps its sample fields file exactly what the generator writes for the sample spec', () => {
    expect(fieldsFilePath(sampleSpec)).toBe('src/sample-record-fields.ts');
    expect(recordTypeName(sampleSpec)).toBe('SampleRecord');
    const onDisk = readFileSync(new URL('./src/sample-record-fields.ts', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderFieldsFile(sampleSpec));
  });

  it('writes the kit files verbatim, and for the sample spec the kit App.tsx unchanged', () => {
    const files = new Map(generateApp(sampleSpec).map((file) => [file.path, file.content]));
    for (const [kitPath, appPath] of appKitFiles) expect(files.get(appPath)).toBe(readKitFile(kitPath));
    expect(files.get('src/App.tsx')).toBe(readKitFile('App.tsx'));
  });

  it("names the app's own fields module, record type and icon in App.tsx, and nothing of the sample", () => {
    const spec = readPrompt('a tracker for customer leads with name, email, company, status and next call date');
    const app = generateApp(spec).find((file) => file.path === 'src/App.tsx')?.content ?? '';
    expect(app).toContain("import { appName, entity, fields, type Lead } from './lead-fields';");
    expect(app).toContain('useCollection<Lead>(entity.collection');
    expect(app).toMatch(/<UsersIcon className/);
    expect(app).not.toMatch(/SampleRecord|sample-record-fields|LayoutListIcon/);
  });
});
