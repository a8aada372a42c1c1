/** Word helpers for turning prompt phrases into names, labels and identifiers. */

const irregularPlurals: Readonly<Record<string, string>> = {
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  goose: 'geese',
  tooth: 'teeth',
  foot: 'feet',
  criterion: 'criteria',
  datum: 'data',
};
const irregularSingulars: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(irregularPlurals).map(([singular, plural]) => [plural, singular]),
);
/** Words that look plural but are not, or are the same in both numbers. */
const invariant = new Set([
  'series',
  'species',
  'news',
  'status',
  'sheep',
  'fish',
  'equipment',
  'software',
  'feedback',
  'inventory',
  'stuff',
]);

/** Acronyms that keep their capitals in labels and names. */
const acronyms: Readonly<Record<string, string>> = {
  sku: 'SKU',
  url: 'URL',
  id: 'ID',
  vip: 'VIP',
  crm: 'CRM',
  api: 'API',
  isbn: 'ISBN',
  vat: 'VAT',
  iban: 'IBAN',
  ceo: 'CEO',
  hr: 'HR',
  it: 'IT',
  ui: 'UI',
  okr: 'OKR',
  rsvp: 'RSVP',
  kpi: 'KPI',
};

/** The words of a phrase, lower case, letters and digits only. */
export function wordsOf(phrase: string): string[] {
  return phrase
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** `lead` from `leads`, `company` from `companies`; the last word of a phrase only. */
export function singularize(phrase: string): string {
  return mapLastWord(phrase, (word) => {
    if (invariant.has(word)) return word;
    const irregular = irregularSingulars[word];
    if (irregular) return irregular;
    if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
    if (/(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
    if (/(ss|us|is)$/.test(word)) return word;
    if (/s$/.test(word) && word.length > 2) return word.slice(0, -1);
    return word;
  });
}

/** `leads` from `lead`, `companies` from `company`; the last word of a phrase only. */
export function pluralize(phrase: string): string {
  return mapLastWord(phrase, (word) => {
    if (invariant.has(word)) return word;
    const irregular = irregularPlurals[word];
    if (irregular) return irregular;
    if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
    if (/(s|sh|ch|x|z)$/.test(word)) return `${word}es`;
    return `${word}s`;
  });
}

function mapLastWord(phrase: string, map: (word: string) => string): string {
  const match = /^(.*?)([\p{L}\p{N}]+)$/u.exec(phrase);
  if (!match) return phrase;
  const [, head = '', last = ''] = match;
  const lower = last.toLowerCase();
  const mapped = map(lower);
  return head + (last === lower ? mapped : mapped.charAt(0).toUpperCase() + mapped.slice(1));
}

function displayWord(word: string): string {
  return acronyms[word] ?? word;
}

/** `Customer Lead Tracker`. */
export function titleCase(phrase: string): string {
  return wordsOf(phrase)
    .map((word) => acronyms[word] ?? word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** `Next call date`. */
export function sentenceCase(phrase: string): string {
  const text = wordsOf(phrase).map(displayWord).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `nextCallDate`; always a valid identifier (a leading digit gets a `field` prefix). */
export function camelCase(phrase: string): string {
  const words = wordsOf(phrase)
    .map((word) => word.normalize('NFKD').replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  const joined = words.map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  if (joined === '') return 'field';
  return /^[0-9]/.test(joined) ? `field${joined}` : joined;
}

/** `CustomerLead`. */
export function pascalCase(phrase: string): string {
  const camel = camelCase(phrase);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** `customer-lead`. */
export function kebabCase(phrase: string): string {
  const words = wordsOf(phrase)
    .map((word) => word.normalize('NFKD').replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  return words.join('-') || 'record';
}
