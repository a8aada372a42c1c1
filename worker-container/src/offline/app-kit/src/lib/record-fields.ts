/**
 * Field-driven records: the types and helpers behind a generated list app. The app's fields file
 * lists its fields as data; the form, the table, search and filters are all derived from that list.
 */

export type FieldKind = 'text' | 'email' | 'url' | 'phone' | 'number' | 'money' | 'date' | 'boolean' | 'status' | 'longtext';

/** One field of a record, as listed in the app's fields file. */
export type FieldDefinition = {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  /** The choices of a `status` field; the first is the default. */
  readonly options?: readonly string[];
};

/** The stored value of each kind: dates are `YYYY-MM-DD` strings, money is a number. */
type ValueOfKind = {
  text: string;
  email: string;
  url: string;
  phone: string;
  number: number;
  money: number;
  date: string;
  boolean: boolean;
  status: string;
  longtext: string;
};

/** The field values of a record with these fields; every field is optional in storage. */
export type FieldValues<Fields extends readonly FieldDefinition[]> = {
  [F in Fields[number] as F['key']]?: ValueOfKind[F['kind']];
};

/** A stored record with these fields. */
export type RecordOf<Fields extends readonly FieldDefinition[]> = { _id: string; createdAt: number } & FieldValues<Fields>;

/** Any stored record, for code that works the same for every field list. */
export type AnyRecord = { _id: string; [key: string]: unknown };

/** What the form edits: text for inputs and selects, true/false for checkboxes. */
export type FormValues = Record<string, string | boolean>;
export type FormErrors = Record<string, string>;

/** The currency money fields are shown in. */
export const currency = 'USD';

const moneyFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency });
const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The first field that names a record: shown in bold, used in messages. */
export function titleField(fields: readonly FieldDefinition[]): FieldDefinition | undefined {
  return fields.find((field) => field.kind === 'text') ?? fields[0];
}

/** Form values for a new record: the first option of each status, unchecked boxes, empty text. */
export function emptyValues(fields: readonly FieldDefinition[]): FormValues {
  const values: FormValues = {};
  for (const field of fields)
    values[field.key] = field.kind === 'boolean' ? false : field.kind === 'status' ? (field.options?.[0] ?? '') : '';
  return values;
}

/** Form values for editing a stored record. */
export function valuesOf(fields: readonly FieldDefinition[], record: AnyRecord): FormValues {
  const values = emptyValues(fields);
  for (const field of fields) {
    const value = record[field.key];
    if (field.kind === 'boolean') values[field.key] = value === true;
    else if (typeof value === 'string' || typeof value === 'number') values[field.key] = String(value);
  }
  return values;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[\d\s().-]{5,}$/;

/** One message per invalid field: required fields, email, link, phone and number formats. */
export function validate(fields: readonly FieldDefinition[], values: FormValues): FormErrors {
  const errors: FormErrors = {};
  for (const field of fields) {
    const value = values[field.key];
    if (typeof value !== 'string') continue;
    const text = value.trim();
    if (text === '') {
      if (field.required) errors[field.key] = `${field.label} is required.`;
      continue;
    }
    if (field.kind === 'email' && !emailPattern.test(text)) errors[field.key] = 'Enter an email address like name@example.com.';
    if (field.kind === 'url' && !isLink(text)) errors[field.key] = 'Enter a web address like example.com.';
    if (field.kind === 'phone' && !phonePattern.test(text)) errors[field.key] = 'Enter a phone number (digits, spaces, + - ( )).';
    if ((field.kind === 'number' || field.kind === 'money') && !Number.isFinite(Number(text))) errors[field.key] = 'Enter a number.';
    if (field.kind === 'status' && field.options && !field.options.includes(text))
      errors[field.key] = `Choose one of: ${field.options.join(', ')}.`;
  }
  return errors;
}

/**
 * The values to store, typed by the field list. Empty optional fields become `undefined`, which
 * removes them from a stored record on update.
 */
export function toFieldValues<Fields extends readonly FieldDefinition[]>(fields: Fields, values: FormValues): FieldValues<Fields> {
  const stored: Record<string, string | number | boolean | undefined> = {};
  for (const field of fields) {
    const value = values[field.key];
    if (typeof value === 'boolean') stored[field.key] = value;
    else if (value === undefined || value.trim() === '') stored[field.key] = undefined;
    else if (field.kind === 'number' || field.kind === 'money') stored[field.key] = Number(value);
    else if (field.kind === 'url') stored[field.key] = withScheme(value.trim());
    else stored[field.key] = value.trim();
  }
  // Built key by key from `fields`, so it has exactly the shape FieldValues<Fields> describes.
  return stored as FieldValues<Fields>;
}

/** Any stored value as text: another writer (the API, an agent) may have stored an object or a list. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** `lookup_company` → `Lookup company`: a stored key as words. */
function keyLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** A value another writer stored, in one line: an object's entries as `key: value`, a list joined. */
function summaryOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(summaryOf).join(', ');
  if (typeof value === 'object' && value !== null)
    return Object.entries(value)
      .map(
        ([key, entry]) =>
          `${keyLabel(key).toLowerCase()}: ${typeof entry === 'object' && entry !== null ? JSON.stringify(entry) : textOf(entry)}`,
      )
      .join(', ');
  return textOf(value);
}

/**
 * What a record holds beyond its declared fields — values an app agent (or the API) wrote, like
 * `lookup_company` — as label and text, so they are seen where the record is, not lost.
 */
export function otherValues(record: AnyRecord, fields: readonly FieldDefinition[]): { key: string; label: string; text: string }[] {
  // `createdAt` is the kit's own sort key, not something another writer added.
  const declared = new Set(['createdAt', ...fields.map((field) => field.key)]);
  return Object.entries(record)
    .filter(([key, value]) => !key.startsWith('_') && !declared.has(key) && value !== undefined && value !== null && value !== '')
    .map(([key, value]) => ({ key, label: keyLabel(key), text: summaryOf(value) }));
}

/** A value as text for the table and search: money in the currency, dates in the reader's locale. */
export function displayValue(field: FieldDefinition, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  switch (field.kind) {
    case 'money':
      return typeof value === 'number' ? moneyFormat.format(value) : textOf(value);
    case 'number':
      return typeof value === 'number' ? numberFormat.format(value) : textOf(value);
    case 'date':
      return typeof value === 'string' ? formatDate(value) : textOf(value);
    case 'boolean':
      return value === true ? 'Yes' : 'No';
    case 'url':
      return textOf(value)
        .replace(/^https?:\/\//, '')
        .replace(/\/$/, '');
    case 'text':
    case 'email':
    case 'phone':
    case 'status':
    case 'longtext':
      return textOf(value);
    default: {
      const unknownKind: never = field.kind;
      return String(unknownKind);
    }
  }
}

/** Whether any field of the record contains the search text (case-insensitive). */
export function matchesSearch(fields: readonly FieldDefinition[], record: AnyRecord, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  return fields.some((field) => field.kind !== 'boolean' && displayValue(field, record[field.key]).toLowerCase().includes(needle));
}

/** A `YYYY-MM-DD` date before today (for due dates shown in red). */
export function isPastDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const date = parseDate(value);
  if (!date) return false;
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return date < today;
}

/** The badge colour of a status option: finished ones green, failed or urgent ones red. */
export function statusTone(option: string, options: readonly string[] = []): 'success' | 'destructive' | 'secondary' | 'outline' {
  const word = option.toLowerCase();
  if (/^(won|done|completed?|paid|delivered|resolved|hired|read|approved|reimbursed|active|confirmed|yes|closed)$/.test(word))
    return 'success';
  if (/^(lost|cancell?ed|rejected|overdue|blocked|churned|critical|high|discontinued|failed|no)$/.test(word)) return 'destructive';
  return options.indexOf(option) === 0 ? 'outline' : 'secondary';
}

function parseDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  // Local midnight, so a date never shows as the day before in timezones west of UTC.
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function formatDate(value: string): string {
  const date = parseDate(value);
  return date ? dateFormat.format(date) : value;
}

function isLink(text: string): boolean {
  try {
    const url = new URL(withScheme(text));
    return url.hostname.includes('.');
  } catch {
    return false;
  }
}

function withScheme(text: string): string {
  return /^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `https://${text}`;
}
