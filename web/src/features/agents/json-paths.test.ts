import { validateAgentsDocument } from '@hangar/protocol';
import { describe, expect, it } from 'vitest';
import { exampleAgentsDocument } from './agents-example.test-support';
import { lineOfPath, locateJsonPaths } from './json-paths';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
/** The 1-based line of the first line of `text` that contains `needle`. */
const lineContaining = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('locateJsonPaths', () => {
  it("puts each of the validator's error paths on the line that holds it", () => {
    const document = exampleAgentsDocument();
    document.tools[0]!.url = 'http://api.example-crm.com/v1/companies';
    document.tools[0]!.headers = { authorization: 'Bearer 12345secret' };
    const text = pretty(document);
    const { errors } = validateAgentsDocument(document);
    const locations = locateJsonPaths(text);
    expect(locations.syntaxError).toBeNull();
    const placed = Object.fromEntries(errors.map((error) => [error.path, lineOfPath(locations, error.path)]));
    expect(placed).toEqual({
      'tools[0].url': lineContaining(text, '"url": "http:'),
      'tools[0].headers.authorization': lineContaining(text, '"authorization"'),
    });
  });

  it('places array items and nested keys, and a missing key on its nearest parent', () => {
    const text = pretty(exampleAgentsDocument());
    const locations = locateJsonPaths(text);
    expect(lineOfPath(locations, 'agents[0].triggers[1].cron')).toBe(lineContaining(text, '"cron"'));
    expect(lineOfPath(locations, 'agents[0].dataCollections.write[0]')).toBe(lineContaining(text, '"write"') + 1);
    // A key the text does not have is reported on its object: the tool's opening brace, just above its name.
    expect(lineOfPath(locations, 'tools[0].missing')).toBe(lineContaining(text, '"name": "lookup_company"') - 1);
    expect(lineOfPath(locations, '(document)')).toBe(1);
  });

  it('says where a syntax error is, and keeps what it read before it', () => {
    const text = '{\n  "version": 1,\n  "agents": [\n    { "id": "a" "name": "b" }\n  ]\n}\n';
    const locations = locateJsonPaths(text);
    expect(locations.syntaxError?.line).toBe(4);
    expect(locations.syntaxError?.message).toBe('expected "," or "}" after a value (a missing comma?)');
    expect(lineOfPath(locations, 'agents[0].id')).toBe(4);
    expect(lineOfPath(locations, 'version')).toBe(2);
  });

  it('refuses text after the document, an unclosed string and an empty text', () => {
    expect(locateJsonPaths('{} {}').syntaxError?.message).toMatch(/after the end/);
    expect(locateJsonPaths('{\n "a": "open\n}').syntaxError).toMatchObject({ line: 2 });
    expect(locateJsonPaths('   ').syntaxError?.message).toMatch(/ends too early/);
  });

  it('reads escapes, numbers and literals as JSON.parse does', () => {
    const text = '{"a\\"b": [1, -2.5e3, true, false, null, "x\\u0041"]}';
    const locations = locateJsonPaths(text);
    expect(locations.syntaxError).toBeNull();
    expect([...locations.lines.keys()]).toEqual(['a"b', 'a"b[0]', 'a"b[1]', 'a"b[2]', 'a"b[3]', 'a"b[4]', 'a"b[5]', '(document)']);
  });
});
