/**
 * Where each value of a JSON text is, by the path the validator reports (`tools[0].url`,
 * `agents[1].dataCollections.read[0]`), so an error can point at its line. A small parser of its
 * own because `JSON.parse` keeps no positions; on a syntax error it says where, and keeps the
 * paths it had read until then.
 */
export type JsonSyntaxError = { line: number; column: number; message: string };
export type JsonLocations = { lines: Map<string, number>; syntaxError: JsonSyntaxError | null };

class JsonSyntax extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

/** The path segment of an object key, as the validator writes it. */
const keyPath = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);
const indexPath = (parent: string, index: number) => `${parent}[${index}]`;

export function locateJsonPaths(text: string): JsonLocations {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') lineStarts.push(index + 1);
  const lineAt = (index: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((lineStarts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  const lines = new Map<string, number>();
  let position = 0;

  const skipSpace = () => {
    while (position < text.length && /\s/.test(text[position] ?? '')) position += 1;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[position] !== char) throw new JsonSyntax(position, `expected "${char}"${position >= text.length ? ' before the end' : ''}`);
    position += 1;
  };
  const readString = (): string => {
    if (text[position] !== '"') throw new JsonSyntax(position, 'expected a string in double quotes');
    let end = position + 1;
    while (end < text.length && text[end] !== '"') {
      if (text[end] === '\n') throw new JsonSyntax(end, 'a string does not end on its line');
      end += text[end] === '\\' ? 2 : 1;
    }
    if (end >= text.length) throw new JsonSyntax(position, 'a string is not closed');
    const raw = text.slice(position, end + 1);
    position = end + 1;
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw new JsonSyntax(position - raw.length, 'a string has an invalid escape');
    }
  };
  const readValue = (path: string, recordAt: number | null) => {
    skipSpace();
    if (recordAt === null) lines.set(path, lineAt(position));
    const char = text[position];
    if (char === '{') {
      position += 1;
      skipSpace();
      if (text[position] === '}') {
        position += 1;
        return;
      }
      for (;;) {
        skipSpace();
        const keyStart = position;
        const key = readString();
        lines.set(keyPath(path, key), lineAt(keyStart));
        expect(':');
        readValue(keyPath(path, key), keyStart);
        skipSpace();
        if (text[position] === ',') {
          position += 1;
          continue;
        }
        if (text[position] === '}') {
          position += 1;
          return;
        }
        throw new JsonSyntax(position, 'expected "," or "}" after a value (a missing comma?)');
      }
    }
    if (char === '[') {
      position += 1;
      skipSpace();
      if (text[position] === ']') {
        position += 1;
        return;
      }
      for (let index = 0; ; index += 1) {
        readValue(indexPath(path, index), null);
        skipSpace();
        if (text[position] === ',') {
          position += 1;
          continue;
        }
        if (text[position] === ']') {
          position += 1;
          return;
        }
        throw new JsonSyntax(position, 'expected "," or "]" after a value (a missing comma?)');
      }
    }
    if (char === '"') {
      readString();
      return;
    }
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(position, position + 400));
    if (!literal) throw new JsonSyntax(position, position >= text.length ? 'the document ends too early' : 'expected a value');
    position += literal[0].length;
  };

  try {
    readValue('', 0);
    lines.set('(document)', 1);
    skipSpace();
    if (position < text.length) throw new JsonSyntax(position, 'unexpected text after the end of the document');
    return { lines, syntaxError: null };
  } catch (error) {
    if (!(error instanceof JsonSyntax)) throw error;
    const index = Math.min(error.index, text.length);
    const line = lineAt(index);
    return { lines, syntaxError: { line, column: index - (lineStarts[line - 1] ?? 0) + 1, message: error.message } };
  }
}

/** The line of `path`, or of its nearest parent the text has (a missing key is reported on its object). */
export function lineOfPath(locations: JsonLocations, path: string): number | null {
  let current = path;
  for (;;) {
    const line = locations.lines.get(current);
    if (line !== undefined) return line;
    const parent = current.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (parent === current) return locations.lines.get('(document)') ?? null;
    current = parent;
  }
}
