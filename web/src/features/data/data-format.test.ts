import type { AppDocument, DataChange, DataPage } from '@hangar/protocol';
import { describe, expect, it } from 'vitest';
import { applyChange, columnsOf, editableJson, formatCell, matchesSearch, parseEdit, parseFieldFilter } from './data-format';

const doc = (id: string, fields: Record<string, unknown> = {}): AppDocument => ({ _id: id, _createdAt: 'c', _updatedAt: 'u', ...fields });
const change = (operation: DataChange['operation'], document: AppDocument | null, documentId = document?._id ?? 'x'): DataChange => ({
  operation,
  documentId,
  document,
  epoch: 'e',
  seq: 1,
});

describe('data explorer formatting', () => {
  it('puts _id first and timestamps last in the union of keys', () => {
    expect(columnsOf([doc('a', { title: 't' }), doc('b', { done: true, title: 'u' })])).toEqual([
      '_id',
      'title',
      'done',
      '_createdAt',
      '_updatedAt',
    ]);
    expect(columnsOf([])).toEqual(['_id']);
  });

  it('formats values compactly', () => {
    expect(formatCell('hi')).toBe('hi');
    expect(formatCell({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatCell(undefined)).toBe('');
    expect(formatCell(null)).toBe('null');
    expect(formatCell('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('searches every value of a row', () => {
    expect(matchesSearch(doc('a', { title: 'Buy Milk' }), 'milk')).toBe(true);
    expect(matchesSearch(doc('a', { tags: ['urgent'] }), 'URGENT')).toBe(true);
    expect(matchesSearch(doc('a', { title: 'x' }), 'milk')).toBe(false);
  });

  it('parses field = value filters', () => {
    expect(parseFieldFilter('')).toEqual({ filter: null, error: null });
    expect(parseFieldFilter('status = open')).toEqual({ filter: { status: 'open' }, error: null });
    expect(parseFieldFilter('done=true')).toEqual({ filter: { done: true }, error: null });
    expect(parseFieldFilter('count = 3')).toEqual({ filter: { count: 3 }, error: null });
    expect(parseFieldFilter('code = "3"')).toEqual({ filter: { code: '3' }, error: null });
    expect(parseFieldFilter('status').error).toMatch(/field = value/);
    expect(parseFieldFilter('$where = 1').error).toMatch(/not a field name/);
  });

  it('applies live changes to loaded pages in place', () => {
    const pages: DataPage[] = [
      { items: [doc('a', { n: 1 }), doc('b')], nextCursor: 'c' },
      { items: [doc('c')], nextCursor: null },
    ];
    const updated = applyChange(pages, change('update', doc('c', { n: 2 })), null);
    expect(updated[1]?.items[0]).toEqual(doc('c', { n: 2 }));
    expect(applyChange(pages, change('delete', null, 'a'), null)[0]?.items.map((item) => item._id)).toEqual(['b']);
    expect(applyChange(pages, change('insert', doc('d')), null)[0]?.items.map((item) => item._id)).toEqual(['d', 'a', 'b']);
    expect(applyChange(pages, change('insert', doc('e', { status: 'x' })), { status: 'open' })).toEqual(pages);
    expect(applyChange(pages, change('update', doc('a', { status: 'x' })), { status: 'open' })[0]?.items.map((item) => item._id)).toEqual([
      'b',
    ]);
  });

  it('edits only the fields a person owns', () => {
    expect(editableJson(doc('a', { title: 't' }))).toBe('{\n  "title": "t"\n}');
    expect(parseEdit('{"title":"u"}')).toEqual({ fields: { title: 'u' } });
    expect(parseEdit('[1]')).toEqual({ error: 'The document must be a JSON object.' });
    expect(parseEdit('{"_id":"b"}')).toEqual({ error: '_id cannot be edited.' });
    expect('error' in parseEdit('{nope')).toBe(true);
  });
});
