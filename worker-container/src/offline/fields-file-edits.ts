import type { AppSpec, FieldSpec } from './app-spec';
import { fieldsArrayEnd, renderAppNameLine, renderFieldLine } from './app-generator';
import type { FollowUp } from './prompt-reader';
import { wordsOf } from './words';

/** An `edit_file` input. */
export interface FileEdit {
  path: string;
  oldString: string;
  newString: string;
}

/** What a fields file says, read back from its text. */
export interface FieldsFileFacts {
  appName: string;
  entitySingular: string;
  fields: { key: string; label: string; line: string }[];
}

/** Reads the app name, entity and field lines of a generated fields file. */
export function readFieldsFile(content: string): FieldsFileFacts {
  const appName = /^export const appName = '((?:[^'\\]|\\.)*)';$/m.exec(content)?.[1]?.replace(/\\(.)/g, '$1') ?? '';
  const entitySingular = /singular: '((?:[^'\\]|\\.)*)'/.exec(content)?.[1]?.replace(/\\(.)/g, '$1') ?? 'item';
  const fields: FieldsFileFacts['fields'] = [];
  for (const line of content.split('\n')) {
    const match = /^\s*\{ key: '([^']*)', label: '((?:[^'\\]|\\.)*)'/.exec(line);
    if (match) fields.push({ key: match[1] ?? '', label: (match[2] ?? '').replace(/\\(.)/g, '$1'), line });
  }
  return { appName, entitySingular, fields };
}

/** The text of a file from `read_file` output: line-number prefixes removed. */
export function textFromReadOutput(output: string): string {
  const lines = output.split('\n').filter((line) => !/^\(lines \d+–\d+ of \d+\)$/.test(line));
  return `${lines.map((line) => line.replace(/^\s*\d+\t/, '')).join('\n')}\n`;
}

/** The edit a follow-up makes to the fields file, or why it cannot be made. */
export function editForFollowUp(
  path: string,
  content: string,
  followUp: Exclude<FollowUp, { kind: 'unknown' }>,
): FileEdit | { problem: string } {
  const facts = readFieldsFile(content);
  switch (followUp.kind) {
    case 'add_field': {
      const existing = findField(facts, followUp.field.key, followUp.field.label);
      if (existing) return { problem: `The app already has a “${existing.label}” field.` };
      if (!content.includes(`\n${fieldsArrayEnd}`))
        return { problem: 'The fields file no longer has the shape I generate, so I cannot add a field to it safely.' };
      return { path, oldString: `\n${fieldsArrayEnd}`, newString: `\n${renderFieldLine(followUp.field)}\n${fieldsArrayEnd}` };
    }
    case 'remove_field': {
      const field = findField(facts, followUp.key, followUp.label);
      if (!field) {
        const names = facts.fields.map((entry) => `“${entry.label}”`).join(', ');
        return { problem: `I could not find a “${followUp.label}” field. The fields are: ${names}.` };
      }
      if (facts.fields.length === 1) return { problem: `“${field.label}” is the only field, and every record needs at least one.` };
      return { path, oldString: `${field.line}\n`, newString: '' };
    }
    case 'rename_app': {
      const line = /^export const appName = .*;$/m.exec(content)?.[0];
      if (!line) return { problem: 'The fields file has no appName line, so I cannot rename the app in it.' };
      const newLine = renderAppNameLine(followUp.name);
      if (line === newLine) return { problem: `The app is already called “${followUp.name}”.` };
      return { path, oldString: line, newString: newLine };
    }
    default: {
      const unexpected: never = followUp;
      return { problem: `Unexpected change ${JSON.stringify(unexpected)}.` };
    }
  }
}

/** Applies a change to a spec that is not written yet (an amended plan); false when it does not apply. */
export function applyToSpec(spec: AppSpec, followUp: FollowUp): boolean {
  switch (followUp.kind) {
    case 'add_field':
      if (spec.fields.some((field) => sameField(field, followUp.field.key, followUp.field.label))) return false;
      spec.fields.push(followUp.field);
      return true;
    case 'remove_field': {
      const index = spec.fields.findIndex((field) => sameField(field, followUp.key, followUp.label));
      if (index === -1 || spec.fields.length === 1) return false;
      spec.fields.splice(index, 1);
      return true;
    }
    case 'rename_app':
      spec.appName = followUp.name;
      return true;
    case 'unknown':
      return false;
    default: {
      const unexpected: never = followUp;
      return unexpected;
    }
  }
}

function findField(facts: FieldsFileFacts, key: string, label: string): FieldsFileFacts['fields'][number] | undefined {
  return facts.fields.find((field) => sameField(field, key, label));
}

function sameField(field: Pick<FieldSpec, 'key' | 'label'>, key: string, label: string): boolean {
  const wanted = wordsOf(label).join(' ');
  return field.key.toLowerCase() === key.toLowerCase() || wordsOf(field.label).join(' ') === wanted;
}
