import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import pg from 'pg';
import { GuardedClient } from '@iap/database';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { EventStore } from './types.js';

export const PG_POOL = Symbol('PG_POOL');

export interface EventStoreModuleOptions {
  /** PostgreSQL: the event store's tables (default adapter) and its pool. */
  readonly databaseUrl: string;
  /** When set, events go to EventStoreDB / KurrentDB instead of PostgreSQL. */
  readonly eventStoreConnectionString?: string;
  readonly poolSize?: number;
  /** More settings of the pool (timeouts). */
  readonly poolOptions?: Omit<pg.PoolConfig, 'connectionString' | 'max'>;
}

@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  private static readonly logger = new Logger('EventStore');

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: PG_POOL,
          useFactory: () => {
            const pool = new pg.Pool({
              ...options.poolOptions,
              connectionString: options.databaseUrl,
              max: options.poolSize ?? 10,
              Client: GuardedClient,
            });
            pool.on('error', (err) =>
              EventStoreModule.logger.warn(`idle PostgreSQL client error: ${err.message}`),
            );
            return pool;
          },
        },
        {
          provide: EventStore,
          inject: [PG_POOL],
          useFactory: async (pool: pg.Pool): Promise<EventStore> => {
            if (options.eventStoreConnectionString) {
              EventStoreModule.logger.log('Events are stored in EventStoreDB');
              // Loaded only when chosen: the gRPC client stays out of the default (PostgreSQL) start-up.
              const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store.js');
              return EventStoreDbEventStore.fromConnectionString(options.eventStoreConnectionString);
            }
            return new PostgresEventStore(pool);
          },
        },
      ],
      exports: [EventStore, PG_POOL],
    };
  }

  /** Closes last, after the projections (stopped in onModuleDestroy) are done with it. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}
