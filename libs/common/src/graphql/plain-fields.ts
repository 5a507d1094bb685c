import { type GraphQLSchema, isObjectType } from 'graphql';

/** What a field that Nest gave its own property-reading resolver holds when it reads a given value. */
const PROBE = Symbol('probe');

/**
 * The schema with the resolvers that only read a property taken off its fields, so that GraphQL reads them
 * itself. @nestjs/graphql gives every field of every object type a resolver of its own (`rootFieldResolver`:
 * the property of the same name, else the field's `defaultValue`), which makes graphql-jit call a function,
 * with its error handling, for each field of each object of an answer: a few hundred calls for an area's page.
 * A field keeps its resolver when it reads another property than its name, has a default value or a field
 * middleware (Nest then wraps the resolver, under another name), or was written by hand (@ResolveField).
 */
export function withPlainFieldReads(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve as ((root: object) => unknown) | undefined;
      if (resolve?.name !== 'rootFieldResolver' || resolve.length !== 1) continue;
      if (resolve({}) !== undefined || resolve({ [field.name]: PROBE }) !== PROBE) continue;
      field.resolve = undefined;
    }
  }
  return schema;
}
