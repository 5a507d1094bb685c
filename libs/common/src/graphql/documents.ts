import { type DocumentNode, GraphQLError, parse } from 'graphql';

/** How many distinct documents are kept parsed (the least recently used goes first). */
const MAX_DOCUMENTS = 500;
/** Longer sources are parsed each time they are asked for, and never kept. */
const MAX_KEPT_CHARS = 100_000;

/** Source text → its document, or the syntax error it raised; a Map in least-recently-used order. */
const documents = new Map<string, DocumentNode | GraphQLError>();

/**
 * The parsed document of a GraphQL source text (with locations), parsed once per distinct text and shared by
 * everything in the server that reads a request's document besides Mercurius (which keeps its own cache of
 * parsed and validated documents): the metrics' operation label, the response cache's "queries only" test,
 * and the argument paths of request errors. Throws the syntax error (a GraphQLError) of a text that does not
 * parse, every time it is asked for. The documents are shared: never change one.
 */
export function parsedDocument(source: string): DocumentNode {
  const known = documents.get(source);
  let result: DocumentNode | GraphQLError;
  if (known !== undefined) {
    result = known;
    documents.delete(source); // back to the most recently used end
  } else {
    try {
      result = parse(source);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      result = err;
    }
    if (source.length > MAX_KEPT_CHARS) return unwrap(result);
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
  }
  documents.set(source, result);
  return unwrap(result);
}

function unwrap(result: DocumentNode | GraphQLError): DocumentNode {
  if (result instanceof GraphQLError) throw result;
  return result;
}
