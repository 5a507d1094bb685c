import { describe, expect, it } from '@jest/globals';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, graphql } from 'graphql';
import { withPlainFieldReads } from './plain-fields.js';

/** A resolver as @nestjs/graphql makes one for every field: the property `name`, else the default value. */
function nestFieldResolver(name: string, defaultValue?: unknown) {
  const rootFieldResolver = (root: Record<string, unknown>) => {
    const value = root[name];
    return typeof value === 'undefined' ? defaultValue : value;
  };
  return rootFieldResolver;
}

function schema() {
  const item = new GraphQLObjectType({
    name: 'Item',
    fields: {
      plain: { type: GraphQLString, resolve: nestFieldResolver('plain') },
      defaulted: { type: GraphQLString, resolve: nestFieldResolver('defaulted', 'none') },
      renamed: { type: GraphQLString, resolve: nestFieldResolver('otherProperty') },
      written: { type: GraphQLString, resolve: () => 'by hand' },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        item: { type: item, resolve: () => ({ plain: 'p', otherProperty: 'o' }) },
      },
    }),
  });
}

describe('withPlainFieldReads', () => {
  it("takes off only the resolvers that read the field's own property, with no default value", () => {
    const fields = (withPlainFieldReads(schema()).getType('Item') as GraphQLObjectType).getFields();
    expect(fields.plain.resolve).toBeUndefined();
    expect(fields.defaulted.resolve).toBeDefined();
    expect(fields.renamed.resolve).toBeDefined();
    expect(fields.written.resolve).toBeDefined();
    expect(
      (withPlainFieldReads(schema()).getQueryType() as GraphQLObjectType).getFields().item.resolve,
    ).toBeDefined();
  });

  it('answers as before', async () => {
    const query = '{ item { plain defaulted renamed written } }';
    const before = await graphql({ schema: schema(), source: query });
    const after = await graphql({ schema: withPlainFieldReads(schema()), source: query });
    expect(after).toEqual(before);
    expect(after.data).toEqual({ item: { plain: 'p', defaulted: 'none', renamed: 'o', written: 'by hand' } });
  });
});
