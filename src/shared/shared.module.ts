import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ReadModelCache } from '@iap/projections';
import { Clock, SystemClock } from './clock.js';
import { GraphQLPublisher } from './graphql-publisher.js';
import { ReadDb } from './read-db.js';
import { READ_YOUR_WRITES_WAIT_MS, ReadYourWrites } from './read-your-writes.js';
import { DATABASE_READ_URL, ReadSource } from './read-source.js';

export interface SharedOptions {
  /** Query results the read-model cache keeps; 0 (the default) turns it off. */
  readonly readCacheEntries?: number;
  /** How long a mutation waits for its read models before answering from its events (default 5000 ms). */
  readonly readYourWritesWaitMs?: number;
  /** A streaming replica that query operations read from (DATABASE_READ_URL); unset: the primary. */
  readonly databaseReadUrl?: string;
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
        ReadYourWrites,
        ReadSource,
        { provide: DATABASE_READ_URL, useValue: options.databaseReadUrl },
        { provide: Clock, useClass: SystemClock },
        { provide: READ_YOUR_WRITES_WAIT_MS, useValue: options.readYourWritesWaitMs ?? 5000 },
        {
          provide: ReadModelCache,
          useValue: new ReadModelCache({ maxEntries: options.readCacheEntries ?? 0 }),
        },
      ],
      exports: [ReadDb, GraphQLPublisher, ReadModelCache, ReadYourWrites, ReadSource, Clock],
    };
  }
}
