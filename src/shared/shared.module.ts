import { Global, Module } from '@nestjs/common';
import { GraphQLPublisher } from './graphql-publisher.js';
import { ReadDb } from './read-db.js';

/** Services every context uses: the request-aware read connection and the subscription publisher. */
@Global()
@Module({ providers: [ReadDb, GraphQLPublisher], exports: [ReadDb, GraphQLPublisher] })
export class SharedModule {}
