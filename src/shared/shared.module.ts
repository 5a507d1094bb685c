import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ReadModelCache } from '@iap/projections';
import { GraphQLPublisher } from './graphql-publisher.js';
import { ReadDb } from './read-db.js';

export interface SharedOptions {
  /** Query results the read-model cache keeps; 0 (the default) turns it off. */
  readonly readCacheEntries?: number;
}

/** Services every context uses: the request-aware read connection and the subscription publisher. */
@Global()
@Module({})
export class SharedModule {
  static forRoot(options: SharedOptions = {}): DynamicModule {
    return {
      module: SharedModule,
      providers: [
        ReadDb,
        GraphQLPublisher,
        {
          provide: ReadModelCache,
          useValue: new ReadModelCache({ maxEntries: options.readCacheEntries ?? 0 }),
        },
      ],
      exports: [ReadDb, GraphQLPublisher, ReadModelCache],
    };
  }
}
