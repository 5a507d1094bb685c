import type { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Connection, PageInfo } from '../pagination.js';

/* The GraphQL types of a keyset-paginated list; the cursors and the pages themselves are ../pagination.ts. */

@ObjectType('PageInfo')
export class PageInfoType implements PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** A Relay-style connection type for `T`, named `<Name>Connection`. */
export function Paginated<T>(item: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  abstract class Edge {
    @Field()
    cursor: string;

    @Field(() => item)
    node: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true })
  abstract class ConnectionType implements Connection<T> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => [item])
    nodes: T[];

    @Field(() => PageInfoType)
    pageInfo: PageInfo;

    @Field(() => Int, { nullable: true, description: 'Rows matching the filter, across all pages' })
    totalCount?: number;
  }
  return ConnectionType;
}
