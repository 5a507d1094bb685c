import { describe, expect, it } from '@jest/globals';
import { GraphQLError, Kind, print } from 'graphql';
import { parsedDocument } from './documents.js';

describe('parsedDocument', () => {
  it('parses a text once and answers the same document again', () => {
    const source = '{ area(code: "E06000008") { code name } }';
    const first = parsedDocument(source);
    expect(first.definitions[0].kind).toBe(Kind.OPERATION_DEFINITION);
    expect(first.loc?.end).toBe(source.length); // with locations (the argument paths need them)
    expect(parsedDocument(source)).toBe(first);
    expect(print(first)).toContain('area(code: "E06000008")');
  });

  it('throws the syntax error of a text that does not parse, each time it is asked for', () => {
    const source = '{ area(code: ';
    expect(() => parsedDocument(source)).toThrow(GraphQLError);
    expect(() => parsedDocument(source)).toThrow(/Syntax Error/);
  });

  it('keeps at most 500 documents, the least recently used going first', () => {
    const kept = '{ kept: viewer { role } }';
    const first = parsedDocument(kept);
    const firstDropped = parsedDocument('{ d0: viewer { role } }');
    for (let i = 1; i < 500; i++) {
      parsedDocument(`{ d${i}: viewer { role } }`);
      if (i % 100 === 0) parsedDocument(kept); // used again: stays
    }
    expect(parsedDocument(kept)).toBe(first);
    expect(parsedDocument('{ d0: viewer { role } }')).not.toBe(firstDropped);
  });

  it('does not keep a very long text', () => {
    const source = `{ viewer { role } }${' '.repeat(100_001)}`;
    expect(parsedDocument(source)).not.toBe(parsedDocument(source));
  });
});
